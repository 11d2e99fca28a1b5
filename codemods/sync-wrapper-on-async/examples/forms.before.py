"""`functools.wraps`, `try`/`finally` around the call, a method, other decorators."""
import functools
import logging
import tracemalloc

logger = logging.getLogger(__name__)


def memory_profiler(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        tracemalloc.start()
        try:
            return func(*args, **kwargs)
        finally:
            logger.info("peak %s", tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()

    return wrapper


class Service:
    @staticmethod
    @memory_profiler
    async def process(data):  # measured: only the coroutine's creation
        return [item * 2 for item in data]
