import asyncio

from sqlalchemy.ext.asyncio import AsyncSession


async def create_users_batch(users_data, db: AsyncSession):
    tasks = [create_user(db, user_data) for user_data in users_data]
    users = await asyncio.gather(*tasks)
    return users
