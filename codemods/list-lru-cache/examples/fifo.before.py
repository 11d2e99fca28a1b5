class FifoCache:
    """No `remove()` before re-appending an existing key: the list can hold a key
    twice, which an OrderedDict cannot express. Skipped."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.order = []

    def put(self, key, value):
        if len(self.cache) >= self.capacity:
            oldest = self.order.pop(0)
            del self.cache[oldest]
        self.cache[key] = value
        self.order.append(key)
