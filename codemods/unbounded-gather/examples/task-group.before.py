import asyncio


async def process_all(items):
    async with asyncio.TaskGroup() as tg:
        for item in items:
            tg.create_task(process(item))
