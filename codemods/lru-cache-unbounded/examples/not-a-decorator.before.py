import functools


def memoize(function):
    return functools.lru_cache(maxsize=None)(function)


cached_len = functools.lru_cache(maxsize=None)(len)
