from collections import OrderedDict
from typing import Any, Dict, Optional


class LRUCache:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self.cache: Dict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Optional[Any]:
        if key in self.cache:
            # Move to end (most recently used)
            self.cache.move_to_end(key)
            return self.cache[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        if key in self.cache:
            self.cache.move_to_end(key)
        elif len(self.cache) >= self.capacity:
            # Evict least recently used
            self.cache.popitem(last=False)

        self.cache[key] = value
