# test: runnable
"""Capacity checked with `len()` of the key list: the list holds exactly the
dict's keys, so `len(self.order)` becomes `len(self.cache)`."""

from collections import OrderedDict


class Cache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = OrderedDict()

    def get(self, key):
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        return None

    def put(self, key, value):
        if key in self.cache:
            self.cache.move_to_end(key)
        elif len(self.cache) >= self.capacity:
            self.cache.popitem(last=False)
        self.cache[key] = value

    def __len__(self):
        return len(self.cache)


cache = Cache(2)
for step, key in enumerate("abacdbca"):
    if cache.get(key) is None:
        cache.put(key, step)
    print(key, len(cache), [cache.get(k) for k in "abcd"])
