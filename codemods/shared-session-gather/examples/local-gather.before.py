from sqlalchemy.ext.asyncio import AsyncSession


async def gather(*coroutines):
    for coroutine in coroutines:
        await coroutine


async def create_users_batch(users_data, db: AsyncSession):
    await gather(*[create_user(db, user_data) for user_data in users_data])
