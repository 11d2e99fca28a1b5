# test: runnable
# test: unsafe-changes-behaviour
# An sqlite3.Row-like record: `keys()` gives the column names, iterating gives
# the values. `dict.update()`'s protocol (a callable `keys`) copies it by name;
# without `.keys()` the loop would index the row by its values.


class Row:
    def __init__(self, names, values):
        self._names, self._values = list(names), list(values)

    def keys(self):
        return list(self._names)

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._values[key]
        return self._values[self._names.index(key)]


def as_dict(obj):
    if callable(getattr(obj, "keys", None)):
        return {name: obj[name] for name in obj.keys()}
    return dict(obj)


try:
    print(as_dict(Row(["id", "name"], [7, "ada"])))
except Exception as error:
    print(type(error).__name__, error)
