import asyncio


async def fetch_all(urls):
    tasks = [fetch(u) for u in urls]
    results = await asyncio.gather(*tasks)
    print(len(tasks), "requests")
    return results


async def built_earlier(urls):
    tasks = [fetch(u) for u in urls]
    print("starting")
    return await asyncio.gather(*tasks)
