import asyncio


async def sync_accounts(users, groups):
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    fresh_users = await asyncio.gather(*[bounded(refresh_user(u)) for u in users])
    fresh_groups = await asyncio.gather(*[bounded(refresh_group(g)) for g in groups])
    return fresh_users, fresh_groups
