import functools
import time


def timer(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = await func(*args, **kwargs)
        print(time.perf_counter() - start)
        return result

    return wrapper


@timer
async def fetch_report(client):
    return await client.get("/report")
