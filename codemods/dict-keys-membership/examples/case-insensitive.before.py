# test: runnable
# test: unsafe-changes-behaviour
# A header container like `email.message.Message`: `in` ignores case, its
# `keys()` list keeps the names as written. `in headers.keys()` is a
# case-sensitive test; dropping `.keys()` would make it case-insensitive.


class Headers:
    def __init__(self, items):
        self._items = list(items)

    def keys(self):
        return [name for name, _ in self._items]

    def __contains__(self, name):
        return name.lower() in [n.lower() for n, _ in self._items]

    def __iter__(self):
        return iter(self.keys())


def has_exact(headers: "Headers", name):
    return name in headers.keys()


headers = Headers([("Content-Type", "text/plain")])
print(has_exact(headers, "content-type"), has_exact(headers, "Content-Type"))
