# test: runnable
# test: unsafe-changes-behaviour
# Two tasks update a shared balance: each reads it, sleeps, writes it back.
# `time.sleep` lets no other task run, so the read and the write of one task
# are never interleaved with another's and no deposit is lost (30).
# `await asyncio.sleep()` suspends between them: both tasks read 0 and the
# second write overwrites the first (20).
import asyncio

balance = 0


async def deposit(amount):
    global balance
    seen = balance
    await asyncio.sleep(0.001)
    balance = seen + amount


async def main():
    await asyncio.gather(deposit(10), deposit(20))
    print("balance:", balance)


asyncio.run(main())
