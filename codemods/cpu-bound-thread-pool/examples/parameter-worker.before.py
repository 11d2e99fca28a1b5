import concurrent.futures
from typing import Any, Callable, List


def process_cpu_intensive_tasks(items: List[Any], processor: Callable[[Any], Any], max_workers: int = None):
    """The seed's form: the worker is a parameter, which may not pickle or be pure."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=max_workers) as executor:
        futures = [executor.submit(processor, item) for item in items]
        return [f.result() for f in concurrent.futures.as_completed(futures)]
