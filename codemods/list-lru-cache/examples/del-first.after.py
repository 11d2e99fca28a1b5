# test: runnable
"""Other names, `dict()`, `del order[0]`, an early-return guard, the evicted key kept."""
import collections


class RecentlyUsed:
    def __init__(self, limit):
        self.limit = limit
        self.entries = collections.OrderedDict()
        self.evicted = collections.Counter()

    def lookup(self, name):
        if name not in self.entries:
            return None
        self.entries.move_to_end(name)
        return self.entries[name]

    def store(self, name, value):
        if name in self.entries:
            self.entries.move_to_end(name)
        else:
            if len(self.entries) >= self.limit:
                # the oldest entry goes
                oldest = self.entries.popitem(last=False)[0]
                self.evicted[oldest] += 1
        self.entries[name] = value
        # newest last


def main():
    cache = RecentlyUsed(3)
    for step in range(40):
        name = "k%d" % (step * 7 % 9)
        if cache.lookup(name) is None:
            cache.store(name, step)
    print(sorted(cache.entries.items()), sorted(cache.evicted.items()))


if __name__ == "__main__":
    main()
