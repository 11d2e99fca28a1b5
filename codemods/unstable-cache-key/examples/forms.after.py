"""Keys assigned, used as an index, or handed to a cache."""
import hashlib as hl
import json


class Memo:
    def __init__(self, redis_cache):
        self.redis_cache = redis_cache
        self.memo = {}

    def key_for(self, query, params):
        self.last_key = hl.sha256(repr(params).encode()).hexdigest()
        return f"q:{hash(f'{query}|{params}')}"

    def lookup(self, query):
        return self.memo[hl.sha256(str(query).encode()).hexdigest()]

    def fetch(self, query):
        return self.redis_cache.get(
            hl.sha256(("v1:" + repr(query)).encode()).hexdigest()
        )

    def digest(self, data):
        return hl.md5(json.dumps(data).encode()).hexdigest()
