from sqlalchemy.ext.asyncio import AsyncSession


async def load_users(db: AsyncSession, user_ids: list[int]):
    users = []
    for user_id in user_ids:
        user = await db.get(User, user_id)
        if user is not None:
            users.append(user)
    return users
