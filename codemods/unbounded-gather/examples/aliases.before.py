import asyncio as aio


async def load_all(keys):
    """Load every key."""
    values = await aio.gather(*(load(key) for key in keys), return_exceptions=True)
    return values
