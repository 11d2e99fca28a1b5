from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def load(db: AsyncSession, user_ids):
    result = await db.execute(select(User).where(User.id.in_(user_ids)))
    users = {user.id: user for user in result.scalars()}
    for user_id in user_ids:
        print(users.get(user_id))
    return users
