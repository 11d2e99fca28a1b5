class Cache:
    """`len()` of the list is another use: skipped."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.order = []

    def put(self, key, value):
        if key in self.cache:
            self.order.remove(key)
        elif len(self.order) >= self.capacity:
            lru = self.order.pop(0)
            del self.cache[lru]
        self.cache[key] = value
        self.order.append(key)
