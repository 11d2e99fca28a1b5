import asyncio


def gather(*parts):
    return list(parts)


async def collect(items):
    combined = await wrap(gather(*[part(i) for i in items]))
    listed = await asyncio.gather(*coroutines)
    return combined, listed
