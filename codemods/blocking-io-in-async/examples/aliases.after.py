"""Aliases are resolved and the file's own asyncio alias is reused."""
import asyncio as aio
import subprocess as sp
from urllib.request import urlopen as fetch
from requests import post


class Client:
    async def notify(self, url, payload):
        await aio.to_thread(post, url, json=payload)  # fire and forget
        return await aio.to_thread(fetch, url)

    async def build(self):
        result = await aio.to_thread(
            sp.run,
            ["make", "all"],
            check=True,
        )
        await aio.sleep(0)
        return result
