# test: runnable
"""An existing `OrderedDict` alias is reused; inline eviction; a delete method."""
from collections import OrderedDict as OD


def make_cache(size):
    class Cache:
        def __init__(self):
            self.data = {}
            self.keys = []

        def get(self, key, default=None):
            if key in self.data:
                self.keys.remove(key)
                self.keys.append(key)
            return self.data.get(key, default)

        def set(self, key, value):
            if key in self.data:
                self.keys.remove(key)
            self.data[key] = value
            self.keys.append(key)
            if len(self.data) > size:
                del self.data[self.keys.pop(0)]

        def forget(self, key):
            if key in self.data:
                del self.data[key]
                self.keys.remove(key)

    return Cache()


if __name__ == "__main__":
    cache = make_cache(2)
    for i, key in enumerate("abacbdadc"):
        cache.set(key, i)
        cache.get("a")
    cache.forget("d")
    print(sorted(cache.data.items()), OD(x=1))
