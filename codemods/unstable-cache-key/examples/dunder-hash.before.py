class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __hash__(self):
        # An in-process hash must stay an int: not a cache key.
        return hash(repr(self))

    def bucket(self, buckets):
        return hash(str(self)) % buckets

    def shard(self, shards):
        shard_key = hash(str(self)) % shards
        return self.slots[hash(repr(self))]
