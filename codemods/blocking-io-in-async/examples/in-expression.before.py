import requests


async def fetch_all(urls):
    # Inside a comprehension or lambda an `await` cannot simply be added.
    pages = [requests.get(u) for u in urls]
    later = lambda: requests.get(urls[0])
    status = requests.get(urls[0]).status_code
    return pages, later, status
