"""Unbounded asyncio.gather over 50 coroutines, with a counter of how many run at once.

Catalog ids: unbounded-gather, sequential-await-loop, blocking-sleep-in-async,
typing-builtin-generics.
Run with `python3 async_demo.py`. The results go to stdout and must be the same before and
after `perfmod fix --unsafe`; the peak number of coroutines running at once goes to stderr,
and is what the fix changes (50 before, the semaphore's limit after).
"""
import asyncio
import sys
import time
from typing import List

running = 0
peak = 0


async def work(i: int) -> int:
    """
    Simulate an I/O-bound call and record how many calls are in flight.

    Args:
        i: Item number.

    Returns:
        The square of i.
    """
    global running, peak
    running += 1
    peak = max(peak, running)
    await asyncio.sleep(0.01)
    running -= 1
    return i * i


async def warm_up() -> str:
    """
    Pretend to prepare a connection before the real work starts.

    Returns:
        A status string.
    """
    time.sleep(0.01)
    return "warm"


async def main() -> None:
    """Run the warm-up, a sequential loop and a large gather, and print the results."""
    print("warm-up:", await warm_up())

    first: List[int] = []
    for i in range(5):
        first.append(await work(i))
    print("sequential:", first)

    results = await asyncio.gather(*[work(i) for i in range(50)])
    print("gathered:", results)
    print("sum:", sum(results))

    print(f"peak concurrency: {peak}", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main())
