import asyncio
import time


def register(func):
    def wrapper(*args, **kwargs):
        # Returns the coroutine untouched: awaiting the wrapper awaits the work.
        return func(*args, **kwargs)

    return wrapper


def run_sync(func):
    def wrapper(*args):
        result = asyncio.run(func(*args))
        print("done")
        return result

    return wrapper


def timer(func):
    def wrapper(*args):
        start = time.perf_counter()
        result = func(*args)
        print(time.perf_counter() - start)
        return result

    return wrapper


@register
async def handler(request):
    return request


@run_sync
async def main():
    return 1


@timer
def compute(n):
    return n * n


def async_test(func):
    def wrapper(*args, **kwargs):
        coro = func(*args, **kwargs)
        asyncio.run(coro)

    return wrapper


@async_test
async def test_something():
    assert True
