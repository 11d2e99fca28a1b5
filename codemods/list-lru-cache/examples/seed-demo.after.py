# test: runnable
"""The seed's list-based LRUCache, exercised with a deterministic workload.

Catalog ids: list-lru-cache, typing-builtin-generics.
Run with `python3 lru_demo.py`; the output must be the same before and after `perfmod fix`.
"""
from collections import OrderedDict
from typing import Any, Dict, Optional


class LRUCache:
    """
    Efficient LRU cache implementation using OrderedDict.
    Better than functools.lru_cache for custom eviction logic.
    """

    def __init__(self, capacity: int):
        """
        Initialize the LRU cache.

        Args:
            capacity: Maximum number of items to store in the cache.
        """
        self.capacity = capacity
        self.cache: Dict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Optional[Any]:
        """
        Get value from cache and update access order.

        Args:
            key: Key to retrieve from cache.

        Returns:
            Cached value or None if key not found.
        """
        if key in self.cache:
            # Move to end (most recently used)
            self.cache.move_to_end(key)
            return self.cache[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        """
        Put value in cache and handle eviction if necessary.

        Args:
            key: Key to store the value under.
            value: Value to store in the cache.
        """
        if key in self.cache:
            self.cache.move_to_end(key)
        elif len(self.cache) >= self.capacity:
            # Evict least recently used
            self.cache.popitem(last=False)

        self.cache[key] = value


def main() -> None:
    """Run a fixed sequence of lookups through a small cache and print what happened."""
    cache = LRUCache(capacity=4)
    hits = 0
    misses = 0
    trace = []
    for i in range(60):
        key = (i * i + 3 * i) % 11
        value = cache.get(key)
        if value is None:
            misses += 1
            cache.put(key, key * key)
            trace.append(f"{key}:miss")
        else:
            hits += 1
            trace.append(f"{key}:hit={value}")
    # Overwrite an existing key: must not evict anything
    cache.put(key, -1)

    print("trace:", " ".join(trace))
    print(f"hits={hits} misses={misses}")
    print("contents:", sorted(cache.cache.items()))
    print("get(0):", cache.get(0), "get(4):", cache.get(4), "get(99):", cache.get(99))


if __name__ == "__main__":
    main()
