"""Catalog entries the seed guidelines have no instance of, written in the seed's style.

Each function below shows one anti-pattern from CATALOG.md (the rest of `seed_app` covers the
others with the seed's own code):

    poll_job_status              blocking-sleep-in-async
    fetch_exchange_rates         blocking-io-in-async
    fibonacci                    lru-cache-unbounded
    PriceCalculator              cache-on-method
    report_import                logging-eager-format
    count_error_lines            readlines-loop
    shortest_path_length         list-as-queue
    is_retryable_status          membership-in-list-literal
    sum_of_squares, longest_name materialized-reducer-arg
    cheapest_offer, latest_event sorted-for-extreme
    active_emails                append-loop-to-comprehension
    to_csv                       string-concat-in-loop
    timed_rebuild_index          perf-counter-for-durations
    has_feature, count_enabled   dict-keys-membership
    download_pages               sequential-await-loop
    warm_cache                   unbounded-gather (TaskGroup form)
    count_primes_in_ranges       cpu-bound-thread-pool
    load_users, load_order_totals query-in-loop
    find_username, top_scores    typing-builtin-generics
    Money                        dataclass-slots (no hand-written __slots__)

`User` and `Order` are the application's SQLAlchemy models, and `get_job_status`,
`refresh_key` and `rebuild_index` its helpers, defined elsewhere.
"""
import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Optional

import aiohttp
import requests
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)


async def poll_job_status(job_id: str, attempts: int = 5) -> str:
    """
    Poll a background job until it finishes.

    Args:
        job_id: Identifier of the job to poll.
        attempts: Maximum number of polls.

    Returns:
        The final job status, or "timeout".
    """
    for _ in range(attempts):
        status = await get_job_status(job_id)
        if status == "done":
            return status
        time.sleep(0.5)
    return "timeout"


async def fetch_exchange_rates(base: str) -> dict[str, float]:
    """
    Fetch the current exchange rates for a base currency.

    Args:
        base: ISO code of the base currency.

    Returns:
        Mapping of currency code to rate.
    """
    response = requests.get(f"https://api.example.com/rates/{base}", timeout=10)
    response.raise_for_status()
    return response.json()["rates"]


@lru_cache(maxsize=None)
def fibonacci(n: int) -> int:
    """
    Compute the n-th Fibonacci number with memoization.

    Args:
        n: Index in the sequence.

    Returns:
        The n-th Fibonacci number.
    """
    if n < 2:
        return n
    return fibonacci(n - 1) + fibonacci(n - 2)


class PriceCalculator:
    """Price calculation with a per-instance tax rate."""

    def __init__(self, tax_rate: float):
        """
        Initialize the calculator.

        Args:
            tax_rate: Tax rate as a fraction (0.2 for 20%).
        """
        self.tax_rate = tax_rate

    @lru_cache(maxsize=256)
    def price_with_tax(self, net: float) -> float:
        """
        Compute a gross price, cached per net price.

        Args:
            net: Net price.

        Returns:
            Gross price rounded to cents.
        """
        return round(net * (1 + self.tax_rate), 2)


def report_import(path: str, count: int, skipped: int, elapsed: float) -> None:
    """
    Log the outcome of a data import.

    Args:
        path: File that was imported.
        count: Number of rows imported.
        skipped: Number of rows skipped.
        elapsed: Duration of the import in seconds.
    """
    logger.info(f"Imported {count} rows from {path!r} in {elapsed:.2f}s")
    if skipped:
        logger.warning("Skipped %d rows in %s" % (skipped, path))
        logging.debug("Skipped rows are listed in {}.rejects".format(path))


def count_error_lines(path: str) -> int:
    """
    Count the lines of a log file that contain an error.

    Args:
        path: Path to the log file.

    Returns:
        Number of error lines.
    """
    errors = 0
    with open(path) as f:
        for line in f.readlines():
            if "ERROR" in line:
                errors += 1
    return errors


def shortest_path_length(graph: dict[str, list[str]], start: str, goal: str) -> int:
    """
    Breadth-first search for the shortest path length between two nodes.

    Args:
        graph: Adjacency lists.
        start: Start node.
        goal: Goal node.

    Returns:
        Number of edges on the shortest path, or -1 if unreachable.
    """
    queue = [(start, 0)]
    seen = {start}
    while queue:
        node, distance = queue.pop(0)
        if node == goal:
            return distance
        for neighbour in graph.get(node, []):
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append((neighbour, distance + 1))
    return -1


def is_retryable_status(status_code: int) -> bool:
    """
    Tell whether an HTTP status code is worth retrying.

    Args:
        status_code: HTTP status code.

    Returns:
        True for rate limiting and transient server errors.
    """
    return status_code in [429, 500, 502, 503, 504]


def sum_of_squares(values: list[float]) -> float:
    """
    Sum of the squares of the values.

    Args:
        values: Numbers to square and add.

    Returns:
        The sum of squares.
    """
    return sum([x * x for x in values])


def longest_name(names: list[str]) -> int:
    """
    Length of the longest name.

    Args:
        names: Non-empty list of names.

    Returns:
        The largest length.
    """
    return max([len(name) for name in names])


def cheapest_offer(offers: list[dict]) -> dict:
    """
    Pick the cheapest of several offers.

    Args:
        offers: Non-empty list of offers with a "price" key.

    Returns:
        The offer with the lowest price.
    """
    return sorted(offers, key=lambda offer: offer["price"])[0]


def latest_event(timestamps: list[float]) -> float:
    """
    Most recent of several event timestamps.

    Args:
        timestamps: Non-empty list of UNIX timestamps.

    Returns:
        The latest timestamp.
    """
    return sorted(timestamps)[-1]


def active_emails(users: list[dict]) -> list[str]:
    """
    Normalized email addresses of the active users.

    Args:
        users: User records with "email" and "is_active" keys.

    Returns:
        Lower-cased email addresses.
    """
    emails = []
    for user in users:
        # Only active users receive mail
        if user["is_active"]:
            emails.append(user["email"].lower())
    return emails


def to_csv(rows: list[list[str]]) -> str:
    """
    Render rows as CSV text (no quoting).

    Args:
        rows: Rows of cells.

    Returns:
        CSV text, one line per row.
    """
    out = ""
    for row in rows:
        out += ",".join(row) + "\n"
    return out


def timed_rebuild_index(documents: list[str]) -> float:
    """
    Rebuild the search index and measure how long it takes.

    Args:
        documents: Documents to index.

    Returns:
        Duration of the rebuild in seconds.
    """
    start = time.time()
    rebuild_index(documents)
    elapsed = time.time() - start
    logger.info("Index rebuilt in %.3fs", elapsed)
    return elapsed


def has_feature(flags: dict[str, bool], name: str) -> bool:
    """
    Tell whether a feature flag is defined and enabled.

    Args:
        flags: Feature flags.
        name: Flag name.

    Returns:
        True if the flag is enabled.
    """
    return name in flags.keys() and flags[name]


def count_enabled(flags: dict[str, bool]) -> int:
    """
    Count the enabled feature flags.

    Args:
        flags: Feature flags.

    Returns:
        Number of enabled flags.
    """
    count = 0
    for name in flags.keys():
        if flags[name]:
            count += 1
    return count


async def fetch(session: aiohttp.ClientSession, url: str) -> str:
    """
    Fetch the body of a page.

    Args:
        session: Async HTTP client session.
        url: URL to fetch.

    Returns:
        Response body as text.
    """
    async with session.get(url) as response:
        return await response.text()


async def download_pages(urls: list[str]) -> list[str]:
    """
    Download several pages.

    Args:
        urls: URLs to download.

    Returns:
        Page bodies, in the order of the URLs.
    """
    async with aiohttp.ClientSession() as session:
        out = []
        for u in urls:
            out.append(await fetch(session, u))
    return out


async def warm_cache(keys: list[str]) -> None:
    """
    Refresh every cache key concurrently.

    Args:
        keys: Cache keys to refresh.
    """
    async with asyncio.TaskGroup() as tg:
        for key in keys:
            tg.create_task(refresh_key(key))


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


def count_primes_in_ranges(limits: list[int]) -> list[int]:
    """
    Count primes below each limit using a thread pool.

    Args:
        limits: Upper bounds.

    Returns:
        Prime counts, in the order of the limits.
    """
    with ThreadPoolExecutor(max_workers=4) as executor:
        return list(executor.map(count_primes, limits))


async def load_users(db: AsyncSession, user_ids: list[int]) -> list["User"]:
    """
    Load several users by primary key.

    Args:
        db: Database session.
        user_ids: User IDs to load.

    Returns:
        The users that exist.
    """
    users = []
    for user_id in user_ids:
        user = await db.get(User, user_id)
        if user is not None:
            users.append(user)
    return users


async def load_order_totals(session: AsyncSession, order_ids: list[int]) -> dict[int, float]:
    """
    Load the total of several orders.

    Args:
        session: Database session.
        order_ids: Order IDs.

    Returns:
        Mapping of order ID to total.
    """
    totals = {}
    for order_id in order_ids:
        result = await session.execute(select(Order.total).where(Order.id == order_id))
        totals[order_id] = result.scalar_one()
    return totals


def find_username(users: Dict[int, str], user_id: int) -> Optional[str]:
    """
    Look up a username.

    Args:
        users: Mapping of user ID to username.
        user_id: User ID to look up.

    Returns:
        The username, or None if unknown.
    """
    return users.get(user_id)


def top_scores(scores: List[int], n: int = 3) -> List[int]:
    """
    Highest scores, best first.

    Args:
        scores: All scores.
        n: How many to return.

    Returns:
        The n highest scores.
    """
    return sorted(scores, reverse=True)[:n]


@dataclass(frozen=True)
class Money:
    """Immutable amount of money in a currency."""

    amount: int
    currency: str = "EUR"
