import asyncio


async def fetch_grid(client, rows):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    # One literal `range` is not enough: `rows` is data.
    return await asyncio.gather(
        *[bounded(client.cell(x, y)) for x in range(3) for y in rows]
    )


async def fetch_many(client):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    # A literal count above the limit is still bounded: 4 x 5 = 20 > 10.
    return await asyncio.gather(*[bounded(client.cell(x, y)) for x in range(4) for y in range(-5, 0)])
