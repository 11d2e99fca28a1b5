import asyncio


async def fetch_all(session, urls, db: dict):
    # An aiohttp session (no annotation) and a dict are not SQLAlchemy sessions.
    pages = await asyncio.gather(*[fetch(session, url) for url in urls])
    rows = await asyncio.gather(*[lookup(db, url) for url in urls])
    return pages, rows
