class Cache:
    """The evicted key is deleted from a dict the list does not track."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.values = {}
        self.sizes = {}
        self.order = []

    def put(self, key, value):
        if key in self.values:
            self.order.remove(key)
        elif len(self.values) >= self.capacity:
            oldest = self.order.pop(0)
            del self.sizes[oldest]
        self.values[key] = value
        self.order.append(key)
