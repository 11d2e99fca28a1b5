import asyncio as aio
from typing import List


async def load_all(keys) -> List[bytes]:
    """Load every key, in order."""
    values: List[bytes] = []
    for index, key in enumerate(keys):
        values.append(await load(index, key, timeout=aio.TimeoutError))
    return values
