def lru_cache(maxsize):
    def decorate(function):
        return function
    return decorate


@lru_cache(maxsize=None)
def not_functools(n):
    return n
