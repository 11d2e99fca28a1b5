import asyncio


async def fetch_all(session, urls):
    results = await asyncio.gather(*[fetch(session, u) for u in urls])
    return results
