import functools as ft
from functools import lru_cache as memo, wraps


@memo(maxsize=None)
def square(n):
    return n * n


@ft.lru_cache(maxsize = None)
def cube(n):
    return n * n * n


@wraps(square)
def wrapper(n):
    return square(n)
