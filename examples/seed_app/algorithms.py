"""Efficient algorithms and data structures from the seed guidelines.

Verbatim from the seed, plus the import it was missing (`Optional`). The seed's `LRUCache`
claims to use `OrderedDict` but keeps a dict plus a list of keys (O(n) per operation).
"""
from typing import List, Set, Dict, Any, Optional
from collections import Counter, defaultdict
import bisect

def find_duplicates_efficient(items: List[Any]) -> Set[Any]:
    """
    Find duplicates using Counter (O(n) time complexity).

    Args:
        items: List of items to check for duplicates.

    Returns:
        Set of duplicate items.
    """
    counts = Counter(items)
    return {item for item, count in counts.items() if count > 1}

def binary_search_insert(sorted_list: List[int], value: int) -> int:
    """
    Efficiently insert value into sorted list maintaining order.

    Args:
        sorted_list: Already sorted list.
        value: Value to insert.

    Returns:
        Index where value was inserted.
    """
    index = bisect.bisect_left(sorted_list, value)
    sorted_list.insert(index, value)
    return index

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
        self.cache: Dict[Any, Any] = {}
        self.access_order: List[Any] = []

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
            self.access_order.remove(key)
            self.access_order.append(key)
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
            self.access_order.remove(key)
        elif len(self.cache) >= self.capacity:
            # Evict least recently used
            lru_key = self.access_order.pop(0)
            del self.cache[lru_key]

        self.cache[key] = value
        self.access_order.append(key)
