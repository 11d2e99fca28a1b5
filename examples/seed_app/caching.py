"""Caching strategies from the seed guidelines (functools caches, Redis cache with TTL).

Verbatim from the seed, plus the imports it was missing (`logging`, `Any`).
"""
import logging
from functools import lru_cache, cache
from typing import List, Dict, Any
import time

import redis
import json
import pickle
from typing import Any, Optional
from datetime import timedelta

logger = logging.getLogger(__name__)


# --- Function-Level Caching ---------------------------------------------------------------

@lru_cache(maxsize=128)
def expensive_calculation(n: int) -> int:
    """
    Expensive calculation with LRU cache.

    Args:
        n: Input parameter.

    Returns:
        Calculated result.
    """
    # Simulate expensive operation
    time.sleep(0.1)
    return n ** 2 + n

@cache  # Python 3.9+ - unbounded cache
def get_static_config(config_type: str) -> Dict[str, Any]:
    """
    Get static configuration with unbounded cache.

    Args:
        config_type: Type of configuration to retrieve.

    Returns:
        Configuration dictionary.
    """
    # Expensive config loading operation
    return load_config_from_file(config_type)


# --- Redis Caching with TTL ---------------------------------------------------------------

class RedisCache:
    """Redis-based caching with TTL support."""

    def __init__(self, redis_url: str = "redis://localhost:6379"):
        self.redis_client = redis.from_url(redis_url)

    async def get(self, key: str) -> Optional[Any]:
        """
        Get value from cache.

        Args:
            key: Cache key.

        Returns:
            Cached value or None if not found.
        """
        try:
            value = await self.redis_client.get(key)
            return pickle.loads(value) if value else None
        except Exception as e:
            logger.warning(f"Cache get failed for {key}: {e}")
            return None

    async def set(self, key: str, value: Any, ttl: timedelta = timedelta(hours=1)) -> bool:
        """
        Set value in cache with TTL.

        Args:
            key: Cache key.
            value: Value to cache.
            ttl: Time to live.

        Returns:
            True if successful, False otherwise.
        """
        try:
            serialized = pickle.dumps(value)
            await self.redis_client.setex(key, ttl, serialized)
            return True
        except Exception as e:
            logger.error(f"Cache set failed for {key}: {e}")
            return False

# Usage with decorator
def cached_db_query(cache: RedisCache, ttl: timedelta = timedelta(minutes=30)):
    """
    Decorator for caching database queries with Redis.

    Args:
        cache: Redis cache instance.
        ttl: Time to live for cached results.

    Returns:
        Decorator function that caches the wrapped function's results.
    """
    def decorator(func):
        """
        Inner decorator function.

        Args:
            func: Function to be cached.

        Returns:
            Wrapped function with caching behavior.
        """
        async def wrapper(*args, **kwargs):
            """
            Wrapper function that implements caching logic.

            Args:
                *args: Positional arguments for the wrapped function.
                **kwargs: Keyword arguments for the wrapped function.

            Returns:
                Cached result or fresh result from function execution.
            """
            cache_key = f"{func.__name__}:{hash(str(args) + str(kwargs))}"

            # Try cache first
            result = await cache.get(cache_key)
            if result is not None:
                return result

            # Execute function and cache result
            result = await func(*args, **kwargs)
            await cache.set(cache_key, result, ttl)
            return result
        return wrapper
    return decorator
