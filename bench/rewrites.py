"""Benchmark of two perfmod rewrites on the seed's own code (not a test: run by hand).

    python3 bench/rewrites.py

1. list-lru-cache: the seed's list-based LRUCache against the OrderedDict form
   `perfmod fix` rewrites it to, under a zipf-like get/put workload.
2. cpu-bound-thread-pool: prime counting mapped over a ThreadPoolExecutor against
   the rewritten ProcessPoolExecutor.

Prints the median of several runs of each and the speedups.
"""
import os
import random
import statistics
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

RUNS = 5


class ListLRUCache:
    """The seed's LRUCache (examples/seed_app/algorithms.py), docstrings left out."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = {}
        self.access_order = []

    def get(self, key):
        if key in self.cache:
            # Move to end (most recently used)
            self.access_order.remove(key)
            self.access_order.append(key)
            return self.cache[key]
        return None

    def put(self, key, value):
        if key in self.cache:
            self.access_order.remove(key)
        elif len(self.cache) >= self.capacity:
            # Evict least recently used
            lru_key = self.access_order.pop(0)
            del self.cache[lru_key]

        self.cache[key] = value
        self.access_order.append(key)


class OrderedDictLRUCache:
    """The same class as `perfmod fix` rewrites it."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.cache = OrderedDict()

    def get(self, key):
        if key in self.cache:
            # Move to end (most recently used)
            self.cache.move_to_end(key)
            return self.cache[key]
        return None

    def put(self, key, value):
        if key in self.cache:
            self.cache.move_to_end(key)
        elif len(self.cache) >= self.capacity:
            # Evict least recently used
            self.cache.popitem(last=False)

        self.cache[key] = value


def zipf_keys(count, universe, seed=42):
    """Keys drawn with probability ~ 1/rank (s = 1), like real cache traffic."""
    rng = random.Random(seed)
    weights = [1.0 / rank for rank in range(1, universe + 1)]
    return rng.choices(range(universe), weights=weights, k=count)


def lru_workload(cache_class, keys):
    """Read-through: get, and put on a miss. Returns the hit count."""
    cache = cache_class(1000)
    hits = 0
    for key in keys:
        if cache.get(key) is None:
            cache.put(key, key)
        else:
            hits += 1
    return hits


def count_primes(limit):
    """Pure CPU work (the seed's prime counting)."""
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


def pool_workload(executor_class, limits):
    with executor_class(max_workers=os.cpu_count()) as executor:
        return sum(executor.map(count_primes, limits))


def median_seconds(function, *args):
    times = []
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    keys = zipf_keys(200_000, 20_000)
    list_time, list_hits = median_seconds(lru_workload, ListLRUCache, keys)
    od_time, od_hits = median_seconds(lru_workload, OrderedDictLRUCache, keys)
    assert list_hits == od_hits, "the two caches must behave the same"
    print("list-lru-cache: capacity 1000, 200k zipf(s=1) get/put over 20k keys, "
          f"hit rate {list_hits / len(keys):.1%}")
    print(f"  list + dict (seed)   median {list_time * 1000:8.1f} ms")
    print(f"  OrderedDict          median {od_time * 1000:8.1f} ms")
    print(f"  speedup              {list_time / od_time:8.1f}x")

    limits = [60_000] * 8
    thread_time, thread_total = median_seconds(pool_workload, ThreadPoolExecutor, limits)
    process_time, process_total = median_seconds(pool_workload, ProcessPoolExecutor, limits)
    assert thread_total == process_total
    print(f"cpu-bound-thread-pool: count_primes(60000) x 8, max_workers={os.cpu_count()} "
          f"({os.cpu_count()} cores)")
    print(f"  ThreadPoolExecutor   median {thread_time * 1000:8.1f} ms")
    print(f"  ProcessPoolExecutor  median {process_time * 1000:8.1f} ms (pool start-up included)")
    print(f"  speedup              {thread_time / process_time:8.1f}x")


if __name__ == "__main__":
    main()
