class Cache:
    """`len()` of the list read between a `remove(k)` and its `append(k)`,
    where the list is one key short of the dict: skipped."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.order = []
        self.others = 0

    def put(self, key, value):
        if key in self.cache:
            self.order.remove(key)
            self.others = len(self.order)
        elif len(self.order) >= self.capacity:
            lru = self.order.pop(0)
            del self.cache[lru]
        self.cache[key] = value
        self.order.append(key)
