"""Aliased imports are resolved; the existing asyncio alias is reused."""
import asyncio as aio
from time import sleep as nap


class Worker:
    async def run(self):
        nap(1)
        return await aio.sleep(0)
