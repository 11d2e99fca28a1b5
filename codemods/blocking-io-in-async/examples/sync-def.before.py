import requests
import subprocess


def fetch(url):
    return requests.get(url)


async def outer(url):
    def inner():
        # A plain def inside async def: its caller decides where it runs.
        return requests.get(url)
    return await asyncio.to_thread(inner)
