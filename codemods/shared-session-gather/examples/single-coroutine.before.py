import asyncio

from sqlalchemy.ext.asyncio import AsyncSession


async def create(user_data, db: AsyncSession):
    (user,) = await asyncio.gather(create_user(db, user_data))
    first, second = await asyncio.gather(create_user(db, user_data), notify(user_data))
    return user, first, second
