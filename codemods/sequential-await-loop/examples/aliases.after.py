import asyncio as aio
from typing import List


async def load_all(keys) -> List[bytes]:
    """Load every key, in order."""
    semaphore = aio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    values: List[bytes] = await aio.gather(
        *[
            bounded(load(index, key, timeout=aio.TimeoutError))
            for index, key in enumerate(keys)
        ]
    )
    return values
