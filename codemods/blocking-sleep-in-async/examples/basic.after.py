import asyncio


async def poll(client):
    while not client.ready():
        await asyncio.sleep(0.5)  # wait before asking again
    return client.result()
