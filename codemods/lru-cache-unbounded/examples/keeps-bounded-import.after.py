from functools import cache, lru_cache


@cache
def parse(text):
    return text.split()


@lru_cache(maxsize=128)
def lookup(key):
    return key.upper()
