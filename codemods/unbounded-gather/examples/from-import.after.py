import asyncio
from asyncio import gather


async def ping_all(hosts):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    return await gather(*[bounded(ping(host)) for host in hosts])
