import asyncio
import requests


async def main(url):
    response = await asyncio.to_thread(requests.get, url, timeout=5)
    with open("log.txt") as f:
        return response, f.name
