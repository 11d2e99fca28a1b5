import asyncio


async def sync_accounts(users, groups):
    fresh_users = []
    for u in users:
        fresh_users.append(await refresh_user(u))
    fresh_groups = []
    for g in groups:
        fresh_groups.append(await refresh_group(g))
    return fresh_users, fresh_groups
