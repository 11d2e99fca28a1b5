import asyncio


async def sync_accounts(users, groups):
    """Refresh users, then groups."""

    fresh_users = await asyncio.gather(*[refresh_user(u) for u in users])
    fresh_groups = await asyncio.gather(*[refresh_group(g) for g in groups])
    return fresh_users, fresh_groups
