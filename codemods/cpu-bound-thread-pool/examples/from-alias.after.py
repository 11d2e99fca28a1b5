# test: runnable
"""`from ... import ThreadPoolExecutor as TPE`, `submit`, a helper the worker calls,
`math`, a module constant, a function the main guard calls."""
import math
from concurrent.futures import ProcessPoolExecutor, as_completed

SCALE = 3


def is_prime(n):
    if n < 2:
        return False
    for d in range(2, math.isqrt(n) + 1):
        if n % d == 0:
            return False
    return True


def prime_sum(lo, hi):
    found = []
    for n in range(lo, hi):
        if is_prime(n):
            found.append(n * SCALE)
    return sum(found)


def run(ranges):
    # CPU-bound work: threads take turns holding the GIL
    with ProcessPoolExecutor(2) as pool:
        futures = {pool.submit(prime_sum, lo, hi): (lo, hi) for lo, hi in ranges}
        results = {futures[f]: f.result() for f in as_completed(futures)}
    return [results[r] for r in ranges]


if __name__ == "__main__":
    print(run([(0, 2000), (2000, 6000), (6000, 9000)]))
