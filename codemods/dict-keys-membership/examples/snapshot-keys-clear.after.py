# test: runnable
# test: unsafe-changes-behaviour
# A store whose `keys()` returns a snapshot list while iterating it walks the
# live dict: deleting while looping over `keys()` is fine, over the store
# itself it raises "dictionary changed size during iteration".


class Store:
    def __init__(self, **items):
        self._data = dict(items)

    def keys(self):
        return list(self._data)

    def __iter__(self):
        return iter(self._data)

    def __delitem__(self, key):
        del self._data[key]

    def __len__(self):
        return len(self._data)


def clear(store):
    for key in store:
        del store[key]


store = Store(a=1, b=2, c=3)
try:
    clear(store)
    print("cleared, left:", len(store))
except RuntimeError as error:
    print("RuntimeError:", error)
