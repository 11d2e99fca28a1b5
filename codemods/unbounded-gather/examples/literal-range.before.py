import asyncio


async def hammer(client):
    # Exactly ten requests, written in the code: the default limit (10) would never make one wait.
    await asyncio.gather(*[client.ping() for _ in range(10)])


async def grid(client):
    # 3 x 3 = 9 cells.
    return await asyncio.gather(*(client.cell(x, y) for x in range(3) for y in range(0, 9, 3)))


async def warm_shards(cache):
    async with asyncio.TaskGroup() as tg:
        for shard in range(8):
            tg.create_task(cache.warm(shard))
