# test: runnable
# Inside a class with its own `keys`, `__iter__` or `__contains__`, `self.keys()`
# is the class's own protocol: `key in self` in `__contains__` would call
# itself forever, and `for k in self` in `clear` would iterate the live dict
# while deleting. Not reported at all (no advice fits).


class Bag:
    def __init__(self, *keys):
        self._data = dict.fromkeys(keys)

    def keys(self):
        return list(self._data)

    def __iter__(self):
        return iter(self._data)

    def __contains__(self, key):
        return key in self.keys()

    def clear(self):
        for key in self.keys():
            del self._data[key]


bag = Bag("x", "y")
print("x" in bag, "z" in bag)
bag.clear()
print(len(bag.keys()))
