import inspect
import time


def timer(func):
    """Handles both kinds of functions."""
    if inspect.iscoroutinefunction(func):
        async def async_wrapper(*args):
            start = time.perf_counter()
            result = await func(*args)
            print(time.perf_counter() - start)
            return result

        return async_wrapper

    def wrapper(*args):
        start = time.perf_counter()
        result = func(*args)
        print(time.perf_counter() - start)
        return result

    return wrapper


@timer
async def fetch_report(client):
    return await client.get("/report")
