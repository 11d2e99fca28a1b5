"""Aliases are resolved and the file's own asyncio alias is reused."""
import asyncio as aio
import subprocess as sp
from urllib.request import urlopen as fetch
from requests import post


class Client:
    async def notify(self, url, payload):
        post(url, json=payload)  # fire and forget
        return fetch(url)

    async def build(self):
        result = sp.run(
            ["make", "all"],
            check=True,
        )
        await aio.sleep(0)
        return result
