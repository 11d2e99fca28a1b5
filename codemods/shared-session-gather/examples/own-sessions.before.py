import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SessionLocal = async_sessionmaker(engine)


async def create_one(user_data):
    async with SessionLocal() as session:
        return await create_user(session, user_data)


async def create_users_batch(users_data, db: AsyncSession):
    # Each task opens its own session.
    return await asyncio.gather(*[create_one(user_data) for user_data in users_data])
