import asyncio
from asyncio import sleep


async def ping_all(hosts):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    await sleep(0)
    replies = await asyncio.gather(*[bounded(ping(host)) for host in hosts])
    return replies
