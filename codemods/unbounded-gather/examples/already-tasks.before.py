import asyncio


async def start_all(items, loop):
    tasks = [asyncio.create_task(handle(item)) for item in items]
    done = await asyncio.gather(*tasks)
    futures = await asyncio.gather(*[asyncio.ensure_future(handle(i)) for i in items])
    pending = await asyncio.gather(*[loop.run_in_executor(None, block, i) for i in items])
    return done, futures, pending
