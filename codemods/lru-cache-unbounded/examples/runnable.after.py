# test: runnable
from functools import cache

calls = []


@cache
def slow_square(n):
    calls.append(n)
    return n * n


print([slow_square(n % 3) for n in range(9)])
print("computed:", calls)
info = slow_square.cache_info()
print(info.hits, info.misses, info.maxsize, info.currsize)
print(slow_square.cache_parameters())
slow_square.cache_clear()
print(slow_square(4), calls)
