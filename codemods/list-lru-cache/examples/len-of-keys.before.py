# test: runnable
"""Capacity checked with `len()` of the key list: the list holds exactly the
dict's keys, so `len(self.order)` becomes `len(self.cache)`."""


class Cache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.order = []

    def get(self, key):
        if key in self.cache:
            self.order.remove(key)
            self.order.append(key)
            return self.cache[key]
        return None

    def put(self, key, value):
        if key in self.cache:
            self.order.remove(key)
        elif len(self.order) >= self.capacity:
            lru = self.order.pop(0)
            del self.cache[lru]
        self.cache[key] = value
        self.order.append(key)

    def __len__(self):
        return len(self.order)


cache = Cache(2)
for step, key in enumerate("abacdbca"):
    if cache.get(key) is None:
        cache.put(key, step)
    print(key, len(cache), [cache.get(k) for k in "abcd"])
