import asyncio


async def process_all(items):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    async with asyncio.TaskGroup() as tg:
        for item in items:
            tg.create_task(bounded(process(item)))
