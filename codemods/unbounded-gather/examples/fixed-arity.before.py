import asyncio


async def load_page():
    user, posts = await asyncio.gather(fetch_user(), fetch_posts())
    return user, posts
