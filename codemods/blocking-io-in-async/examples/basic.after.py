import asyncio

import requests


async def fetch_exchange_rates(base):
    response = await asyncio.to_thread(
        requests.get, f"https://api.example.com/rates/{base}", timeout=10
    )
    response.raise_for_status()
    return response.json()["rates"]
