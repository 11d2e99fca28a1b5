from sqlalchemy.ext.asyncio import AsyncSession


async def load(db: AsyncSession, user_id, attempts):
    for attempt in range(attempts):
        user = await db.get(User, user_id)  # does not depend on the loop variable
        if user is not None:
            return user
    return None
