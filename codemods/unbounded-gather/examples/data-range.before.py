import asyncio


async def fetch_grid(client, rows):
    # One literal `range` is not enough: `rows` is data.
    return await asyncio.gather(*[client.cell(x, y) for x in range(3) for y in rows])


async def fetch_many(client):
    # A literal count above the limit is still bounded: 4 x 5 = 20 > 10.
    return await asyncio.gather(*[client.cell(x, y) for x in range(4) for y in range(-5, 0)])
