import asyncio


async def fetch_all(urls):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    out = await asyncio.gather(*[bounded(fetch(u)) for u in urls])
    return out
