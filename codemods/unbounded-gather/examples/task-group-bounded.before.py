import asyncio


async def process_all(items):
    limit = asyncio.Semaphore(5)

    async def guarded(item):
        async with limit:
            return await process(item)

    async with asyncio.TaskGroup() as tg:
        for item in items:
            tg.create_task(guarded(item))
