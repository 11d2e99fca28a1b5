import asyncio

semaphore = "module-level name that the function reads"


async def fetch_all(urls):
    print(semaphore)
    return await asyncio.gather(*[fetch(u) for u in urls])
