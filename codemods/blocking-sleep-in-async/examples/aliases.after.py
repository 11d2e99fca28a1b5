"""Aliased imports are resolved; the existing asyncio alias is reused."""
import asyncio as aio


class Worker:
    async def run(self):
        await aio.sleep(1)
        return await aio.sleep(0)
