from asyncio import gather


async def ping_all(hosts):
    return await gather(*[ping(host) for host in hosts])
