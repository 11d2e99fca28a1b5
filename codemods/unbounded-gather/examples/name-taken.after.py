import asyncio

semaphore = "module-level name that the function reads"


async def fetch_all(urls):
    semaphore_2 = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore_2:
            return await coro

    print(semaphore)
    return await asyncio.gather(*[bounded(fetch(u)) for u in urls])
