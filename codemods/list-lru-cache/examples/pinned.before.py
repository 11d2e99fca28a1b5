class Cache:
    """`pin()` stores keys that never enter the list, so they are never evicted:
    with one OrderedDict they would be. Skipped."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.order = []

    def pin(self, key, value):
        self.cache[key] = value

    def put(self, key, value):
        if key in self.cache:
            self.order.remove(key)
        elif len(self.cache) >= self.capacity:
            del self.cache[self.order.pop(0)]
        self.cache[key] = value
        self.order.append(key)
