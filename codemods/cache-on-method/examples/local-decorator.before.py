def lru_cache(func):
    """A project decorator that happens to share the name."""
    return func


class Service:
    @lru_cache
    def get(self, key):
        return key
