import functools


@functools.lru_cache(maxsize=None)
def triangular(n):
    return 0 if n == 0 else n + triangular(n - 1)


class Geometry:
    @staticmethod
    @functools.lru_cache(None)
    def area(side):
        return side * side
