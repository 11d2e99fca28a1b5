from functools import lru_cache, cache, cached_property


@lru_cache(maxsize=128)
def expensive_calculation(n):
    return n ** 2 + n


class Config:
    @staticmethod
    @lru_cache
    def parse(text):
        return text.split()

    @classmethod
    @cache
    def default(cls):
        return cls()

    @cached_property
    def settings(self):
        return {}
