# test: runnable
"""An existing `OrderedDict` alias is reused; inline eviction; a delete method."""
from collections import OrderedDict as OD


def make_cache(size):
    class Cache:
        def __init__(self):
            self.data = OD()

        def get(self, key, default=None):
            if key in self.data:
                self.data.move_to_end(key)
            return self.data.get(key, default)

        def set(self, key, value):
            if key in self.data:
                self.data.move_to_end(key)
            self.data[key] = value
            if len(self.data) > size:
                self.data.popitem(last=False)

        def forget(self, key):
            if key in self.data:
                del self.data[key]

    return Cache()


if __name__ == "__main__":
    cache = make_cache(2)
    for i, key in enumerate("abacbdadc"):
        cache.set(key, i)
        cache.get("a")
    cache.forget("d")
    print(sorted(cache.data.items()), OD(x=1))
