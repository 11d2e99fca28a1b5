import asyncio

import aiohttp


async def fetch_multiple_urls(urls):
    """
    Efficiently fetch multiple URLs concurrently.
    """
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    async with aiohttp.ClientSession() as session:
        tasks = [bounded(fetch_single_url(session, url)) for url in urls]
        results = await asyncio.gather(*tasks, return_exceptions=True)

    return [result for result in results if isinstance(result, dict)]
