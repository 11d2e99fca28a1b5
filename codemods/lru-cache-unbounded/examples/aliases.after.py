import functools as ft
from functools import wraps


@ft.cache
def square(n):
    return n * n


@ft.cache
def cube(n):
    return n * n * n


@wraps(square)
def wrapper(n):
    return square(n)
