# test: runnable
"""Other names, `dict()`, `del order[0]`, an early-return guard, the evicted key kept."""
import collections


class RecentlyUsed:
    def __init__(self, limit):
        self.limit = limit
        self.entries = dict()
        self.order = []
        self.evicted = collections.Counter()

    def lookup(self, name):
        if name not in self.entries:
            return None
        self.order.remove(name)
        self.order.append(name)
        return self.entries[name]

    def store(self, name, value):
        if name in self.entries:
            self.order.remove(name)
        else:
            if len(self.entries) >= self.limit:
                oldest = self.order[0]
                # the oldest entry goes
                del self.order[0]
                del self.entries[oldest]
                self.evicted[oldest] += 1
        self.entries[name] = value
        self.order.append(name)  # newest last


def main():
    cache = RecentlyUsed(3)
    for step in range(40):
        name = "k%d" % (step * 7 % 9)
        if cache.lookup(name) is None:
            cache.store(name, step)
    print(sorted(cache.entries.items()), sorted(cache.evicted.items()))


if __name__ == "__main__":
    main()
