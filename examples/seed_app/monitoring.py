"""Application performance monitoring from the seed guidelines.

Verbatim from the seed, plus the imports it was missing (`asyncio`, `logging`, `Dict`,
`List`, `defaultdict`, `select`). `cache`, `db` and `User` are the application's Redis
cache, database session and ORM model, defined elsewhere.
"""
import asyncio
import logging
import time
import functools
from collections import defaultdict
from typing import Callable, Any, Dict, List
from contextlib import contextmanager

from sqlalchemy import select

logger = logging.getLogger(__name__)

class PerformanceMonitor:
    """Performance monitoring and metrics collection."""

    def __init__(self):
        """
        Initialize the performance monitor.

        Creates an empty metrics dictionary to store timing data
        for different operations.
        """
        self.metrics: Dict[str, List[float]] = defaultdict(list)

    def timing_decorator(self, operation_name: str):
        """
        Decorator to measure function execution time.

        Args:
            operation_name: Name to identify the operation being timed.

        Returns:
            Decorator function that measures execution time of the wrapped function.
        """
        def decorator(func: Callable) -> Callable:
            """
            Inner decorator that creates timing wrappers.

            Args:
                func: Function to be wrapped with timing functionality.

            Returns:
                Async or sync wrapper depending on the function type.
            """
            @functools.wraps(func)
            async def async_wrapper(*args, **kwargs):
                """
                Async wrapper that measures execution time.

                Args:
                    *args: Positional arguments for the wrapped function.
                    **kwargs: Keyword arguments for the wrapped function.

                Returns:
                    Result from the wrapped async function.
                """
                start_time = time.perf_counter()
                try:
                    result = await func(*args, **kwargs)
                    return result
                finally:
                    execution_time = time.perf_counter() - start_time
                    self.metrics[operation_name].append(execution_time)

                    if execution_time > 1.0:  # Log slow operations
                        logger.warning(
                            f"Slow operation {operation_name}: {execution_time:.2f}s"
                        )

            @functools.wraps(func)
            def sync_wrapper(*args, **kwargs):
                """
                Sync wrapper that measures execution time.

                Args:
                    *args: Positional arguments for the wrapped function.
                    **kwargs: Keyword arguments for the wrapped function.

                Returns:
                    Result from the wrapped sync function.
                """
                start_time = time.perf_counter()
                try:
                    result = func(*args, **kwargs)
                    return result
                finally:
                    execution_time = time.perf_counter() - start_time
                    self.metrics[operation_name].append(execution_time)

            return async_wrapper if asyncio.iscoroutinefunction(func) else sync_wrapper
        return decorator

    @contextmanager
    def measure(self, operation_name: str):
        """
        Context manager for measuring execution time of code blocks.

        Args:
            operation_name: Name to identify the operation being measured.

        Yields:
            None - allows code execution within the context.
        """
        start_time = time.perf_counter()
        try:
            yield
        finally:
            execution_time = time.perf_counter() - start_time
            self.metrics[operation_name].append(execution_time)

    def get_stats(self, operation_name: str) -> Dict[str, float]:
        """
        Get performance statistics for a specific operation.

        Args:
            operation_name: Name of the operation to get statistics for.

        Returns:
            Dictionary containing performance statistics including count,
            total time, average, min, max, and 95th percentile.
        """
        times = self.metrics[operation_name]
        if not times:
            return {}

        return {
            'count': len(times),
            'total': sum(times),
            'average': sum(times) / len(times),
            'min': min(times),
            'max': max(times),
            'p95': sorted(times)[int(len(times) * 0.95)] if times else 0
        }

# Global performance monitor instance
perf_monitor = PerformanceMonitor()

# Usage examples
@perf_monitor.timing_decorator("database_query")
async def fetch_user_data(user_id: int) -> Dict[str, Any]:
    """
    Fetch user data with comprehensive performance monitoring.

    This function demonstrates how to use performance monitoring
    for both cache checks and database operations.

    Args:
        user_id: Unique identifier of the user to fetch.

    Returns:
        Dictionary containing user data, or empty dict if not found.
    """
    with perf_monitor.measure("cache_check"):
        cached = await cache.get(f"user:{user_id}")

    if cached:
        return cached

    with perf_monitor.measure("database_query_execution"):
        result = await db.execute(select(User).where(User.id == user_id))
        user = result.scalar_one_or_none()

    return user.to_dict() if user else {}
