class LRUCache:
    """The seed's cache: the list also uses `remove`, it is not a plain queue."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.access_order = []

    def put(self, key, value):
        if key in self.cache:
            self.access_order.remove(key)
        elif len(self.cache) >= self.capacity:
            lru_key = self.access_order.pop(0)
            del self.cache[lru_key]
        self.cache[key] = value
        self.access_order.append(key)


def recent(items):
    order = []
    for item in items:
        if item in order:
            order.remove(item)
        order.append(item)
        if len(order) > 3:
            order.pop(0)
    return order
