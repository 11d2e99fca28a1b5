from concurrent.futures import ThreadPoolExecutor


def square(n):
    return n * n


# At import time: a spawned worker re-importing this module would start a pool itself.
with ThreadPoolExecutor() as pool:
    SQUARES = list(pool.map(square, range(10)))
