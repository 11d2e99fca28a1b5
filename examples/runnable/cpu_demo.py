"""CPU-bound pure function mapped over a ThreadPoolExecutor (the GIL serialises it).

Catalog ids: cpu-bound-thread-pool, typing-builtin-generics.
Run with `python3 cpu_demo.py`; the output must be the same before and after
`perfmod fix --unsafe` (which switches to ProcessPoolExecutor: `count_primes` is module-level
and the pool is created under `if __name__ == "__main__":`, so it pickles and spawns fine).
"""
import concurrent.futures
from typing import List


def count_primes(limit: int) -> int:
    """
    Count the primes below a limit by trial division.

    Args:
        limit: Exclusive upper bound.

    Returns:
        Number of primes below limit.
    """
    count = 0
    for n in range(2, limit):
        is_prime = True
        for d in range(2, int(n ** 0.5) + 1):
            if n % d == 0:
                is_prime = False
                break
        if is_prime:
            count += 1
    return count


def format_results(limits: List[int], counts: List[int]) -> str:
    """
    Format limits and prime counts, one per line.

    Args:
        limits: Upper bounds.
        counts: Prime counts, in the same order.

    Returns:
        The formatted table.
    """
    return "\n".join(f"primes below {limit:>6}: {count}" for limit, count in zip(limits, counts))


if __name__ == "__main__":
    limits = [1000, 5000, 10000, 20000, 30000, 40000]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as executor:
        counts = list(executor.map(count_primes, limits))
    print(format_results(limits, counts))
    print("total:", sum(counts))
