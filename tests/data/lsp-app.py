FLAGS = {'debug': True}


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.access_order = []

    def get(self, key):
        if key in self.cache:
            self.access_order.remove(key)
            self.access_order.append(key)
            return self.cache[key]
        return None

    def put(self, key, value):
        if key in self.cache:
            self.access_order.remove(key)
        elif len(self.cache) >= self.capacity:
            lru_key = self.access_order.pop(0)
            del self.cache[lru_key]
        self.cache[key] = value
        self.access_order.append(key)


def enabled(name):
    return name in FLAGS.keys()
