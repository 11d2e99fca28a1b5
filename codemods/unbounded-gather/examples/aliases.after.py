import asyncio as aio


async def load_all(keys):
    """Load every key."""
    semaphore = aio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    values = await aio.gather(
        *(bounded(load(key)) for key in keys), return_exceptions=True
    )
    return values
