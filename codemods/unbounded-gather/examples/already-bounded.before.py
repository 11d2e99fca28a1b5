import asyncio


async def batch_with_concurrency_control(items):
    semaphore = asyncio.Semaphore(10)  # Limit concurrent operations

    async def process_item(item):
        async with semaphore:
            try:
                return await asyncio.wait_for(expensive_async_operation(item), timeout=30.0)
            except Exception:
                return None

    tasks = [process_item(item) for item in items]
    results = await asyncio.gather(*tasks, return_exceptions=True)

    return [result for result in results if isinstance(result, dict)]


async def under_a_semaphore(items, limit: asyncio.Semaphore):
    async with limit:
        return await asyncio.gather(*[work(i) for i in items])
