import asyncio

import aiohttp


async def fetch_multiple_urls(urls):
    """
    Efficiently fetch multiple URLs concurrently.
    """
    async with aiohttp.ClientSession() as session:
        tasks = [fetch_single_url(session, url) for url in urls]
        results = await asyncio.gather(*tasks, return_exceptions=True)

    return [result for result in results if isinstance(result, dict)]
