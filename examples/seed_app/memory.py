"""Memory optimization from the seed guidelines (slots, NamedTuple, generators, deque,
memory profiling).

Verbatim from the seed, plus the imports it was missing (`logging`, `Any`). Note that the
seed's `User` (hand-written `__slots__` in a dataclass with a field default) raises
`ValueError` at class creation: this module compiles but does not import.
"""
import logging
from typing import List, Dict, NamedTuple, Union, Any
from dataclasses import dataclass
from collections import deque, defaultdict
import sys

import tracemalloc
import psutil
import os
from typing import Dict, Any

logger = logging.getLogger(__name__)


# --- Efficient Data Structures ------------------------------------------------------------

# Use slots for memory-efficient classes
@dataclass
class User:
    """Memory-efficient user representation with slots."""
    __slots__ = ['id', 'email', 'name', 'is_active']

    id: int
    email: str
    name: str
    is_active: bool = True

# Use NamedTuple for immutable data
class Point(NamedTuple):
    """Memory-efficient point representation."""
    x: float
    y: float

    def distance_from_origin(self) -> float:
        """
        Calculate the Euclidean distance from the origin (0, 0).

        Returns:
            Distance from origin as a float.
        """

# Use generators for large datasets
def process_large_file(filename: str):
    """
    Process large file without loading everything into memory.

    Args:
        filename: Path to the file to process.

    Yields:
        Processed line data.
    """
    with open(filename, 'r') as file:
        for line in file:
            # Process line without storing all lines
            yield process_line(line.strip())

# Use deque for efficient append/pop operations
class CircularBuffer:
    """Memory-efficient circular buffer using deque."""

    def __init__(self, maxsize: int):
        """
        Initialize the circular buffer.

        Args:
            maxsize: Maximum number of items to store in the buffer.
        """
        self.buffer = deque(maxlen=maxsize)

    def add(self, item: Any) -> None:
        """
        Add item to buffer (automatically removes oldest if full).

        Args:
            item: Item to add to the buffer.
        """
        self.buffer.append(item)

    def get_recent(self, n: int) -> List[Any]:
        """
        Get n most recent items from the buffer.

        Args:
            n: Number of recent items to retrieve.

        Returns:
            List of the n most recent items.
        """
        return list(self.buffer)[-n:]


# --- Memory Profiling and Monitoring ------------------------------------------------------

def memory_profiler(func):
    """
    Decorator to profile memory usage of a function.

    Args:
        func: Function to be profiled for memory usage.

    Returns:
        Wrapped function that logs memory usage statistics.
    """
    def wrapper(*args, **kwargs):
        """
        Wrapper function that implements memory profiling.

        Args:
            *args: Positional arguments for the wrapped function.
            **kwargs: Keyword arguments for the wrapped function.

        Returns:
            Result from the wrapped function execution.
        """
        tracemalloc.start()

        # Get initial memory
        process = psutil.Process(os.getpid())
        initial_memory = process.memory_info().rss / 1024 / 1024  # MB

        try:
            result = func(*args, **kwargs)

            # Get final memory and tracemalloc stats
            current, peak = tracemalloc.get_traced_memory()
            final_memory = process.memory_info().rss / 1024 / 1024  # MB

            logger.info(
                f"Function {func.__name__} memory usage: "
                f"Process: {initial_memory:.1f}MB -> {final_memory:.1f}MB "
                f"(+{final_memory - initial_memory:.1f}MB), "
                f"Traced: Current {current / 1024 / 1024:.1f}MB, "
                f"Peak {peak / 1024 / 1024:.1f}MB"
            )

            return result
        finally:
            tracemalloc.stop()

    return wrapper

@memory_profiler
async def process_large_dataset(data: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """
    Example function with memory profiling for processing large datasets.

    Args:
        data: List of data dictionaries to process.

    Returns:
        List of transformed data items.
    """
    # Process data efficiently
    return [transform_item(item) for item in data]
