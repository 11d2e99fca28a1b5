import asyncio


async def fetch_all(urls):
    out = []
    for u in urls:
        out.append(await fetch(u))
    return out
