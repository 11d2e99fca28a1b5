import asyncio


async def fetch_all(session, urls):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    results = await asyncio.gather(*[bounded(fetch(session, u)) for u in urls])
    return results
