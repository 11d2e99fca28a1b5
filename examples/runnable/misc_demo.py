"""Small tier-2 anti-patterns in one deterministic script.

Catalog ids: membership-in-list-literal, dict-keys-membership, sorted-for-extreme,
readlines-loop, materialized-reducer-arg, logging-eager-format, append-loop-to-comprehension,
string-concat-in-loop, lru-cache-unbounded, list-as-queue, perf-counter-for-durations,
typing-builtin-generics.
Run with `python3 misc_demo.py`; the output must be the same before and after `perfmod fix`.
"""
import functools
import logging
import os
import sys
import tempfile
import time
from typing import Dict, List, Optional

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s")
logger = logging.getLogger("misc_demo")


def is_weekend(day: str) -> bool:
    """
    Tell whether a day name is a weekend day.

    Args:
        day: Three-letter day name.

    Returns:
        True for Saturday and Sunday.
    """
    return day in ["sat", "sun"]


def lookup_price(prices: Dict[str, float], item: str) -> Optional[float]:
    """
    Look up the price of an item.

    Args:
        prices: Mapping of item to price.
        item: Item name.

    Returns:
        The price, or None if the item is unknown.
    """
    if item in prices.keys():
        return prices[item]
    return None


def total_stock(stock: Dict[str, int]) -> int:
    """
    Add up the stock of every item.

    Args:
        stock: Mapping of item to quantity.

    Returns:
        Total quantity.
    """
    total = 0
    for item in stock.keys():
        total += stock[item]
    return total


def count_warnings(path: str) -> int:
    """
    Count the warning lines of a log file.

    Args:
        path: Path to the log file.

    Returns:
        Number of lines containing WARN.
    """
    warnings = 0
    with open(path) as f:
        for line in f.readlines():
            if "WARN" in line:
                warnings += 1
    return warnings


def squares_of_evens(values: List[int]) -> List[int]:
    """
    Squares of the even values, in order.

    Args:
        values: Integers.

    Returns:
        The squares of the even ones.
    """
    squares = []
    for v in values:
        if v % 2 == 0:
            squares.append(v * v)
    return squares


def join_words(words: List[str]) -> str:
    """
    Join words with dashes, upper-cased.

    Args:
        words: Words to join.

    Returns:
        The joined string.
    """
    text = ""
    for word in words:
        text += word.upper() + "-"
    return text


@functools.lru_cache(maxsize=None)
def triangular(n: int) -> int:
    """
    The n-th triangular number, memoized.

    Args:
        n: Index.

    Returns:
        1 + 2 + ... + n.
    """
    return 0 if n == 0 else n + triangular(n - 1)


def drain_in_order(jobs: List[str]) -> List[str]:
    """
    Process jobs first in, first out; a job ending in "!" enqueues a follow-up.

    Args:
        jobs: Initial jobs.

    Returns:
        The jobs in the order they were processed.
    """
    queue = list(jobs)
    done = []
    while queue:
        job = queue.pop(0)
        done.append(job)
        if job.endswith("!"):
            queue.append(job.rstrip("!") + "-followup")
    return done


def main() -> None:
    """Exercise every helper and print the results."""
    start = time.time()

    days = ["mon", "sat", "tue", "sun", "fri"]
    print("weekend:", [d for d in days if is_weekend(d)])

    prices = {"apple": 0.5, "pear": 0.75, "plum": 1.25}
    print("price pear:", lookup_price(prices, "pear"), "price kiwi:", lookup_price(prices, "kiwi"))
    print("stock:", total_stock({"apple": 3, "pear": 5, "plum": 8}))

    scores = [42, 17, 99, 23, 8, 64]
    print("lowest:", sorted(scores)[0], "highest:", sorted(scores)[-1])
    print("shortest day:", sorted(days, key=len)[0], "last day:", sorted(days, reverse=True)[0])

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "app.log")
        with open(path, "w") as f:
            for i in range(20):
                level = "WARN" if i % 3 == 0 else "INFO"
                f.write(f"{level} line {i}\n")
        print("warnings:", count_warnings(path))

    print("sum of squares:", sum([x * x for x in range(10)]))
    print("max length:", max([len(d) for d in days]))
    print("any long:", any([len(d) > 3 for d in days]))

    print("even squares:", squares_of_evens(list(range(10))))
    print("joined:", join_words(["fast", "python", "code"]))
    print("triangular(30):", triangular(30))
    print("drained:", drain_in_order(["a", "b!", "c"]))

    ratio = 2 / 3
    user = "alice"
    logger.info(f"Processed {len(days)} days for {user!r}, ratio {ratio:.2f}")
    logger.warning("Price of %s is %s" % ("plum", prices["plum"]))
    logger.info("Stock checked for {} items".format(len(prices)))

    elapsed = time.time() - start
    print("finished quickly:", elapsed < 5)


if __name__ == "__main__":
    main()
