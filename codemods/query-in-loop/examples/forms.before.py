"""`execute(select(...).where(...))`, `scalar(...)`, nested in `if`, a sync session."""
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession as Session
from sqlalchemy.orm import sessionmaker

SyncSession = sessionmaker(bind=engine)


class Totals:
    async def load(self, session: Session, order_ids):
        totals = {}
        for order_id in order_ids:
            result = await session.execute(select(Order.total).where(Order.id == order_id))
            totals[order_id] = result.scalar_one()
        return totals

    async def names(self, session: Session, users):
        names = []
        for user in users:
            if user.active:
                # one round trip per user
                names.append(await session.scalar(select(User.name).filter(User.id == user.id)))
        return names


def legacy(ids):
    with SyncSession() as s:
        for i in ids:
            print(s.get(Account, i))
