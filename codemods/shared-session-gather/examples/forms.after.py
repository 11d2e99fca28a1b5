"""Inline comprehension, explicit coroutines, a sessionmaker's session, aliases."""
import asyncio as aio
from asyncio import gather as run_all

from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import async_sessionmaker

SessionLocal = async_sessionmaker(engine)


class Importer:
    async def load(self, session: sa_asyncio.AsyncSession, rows):
        return await aio.gather(*(self.save(session, row) for row in rows))

    async def refresh(self, ids):
        async with SessionLocal() as session:
            await run_all(touch(session, ids[0]), touch(session=session, key=ids[1]))
