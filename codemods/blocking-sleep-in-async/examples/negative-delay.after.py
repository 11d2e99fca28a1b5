# test: runnable
# test: unsafe-changes-behaviour
# A computed delay can be negative: `time.sleep(-1)` raises `ValueError`,
# `asyncio.sleep(-1)` returns at once, so the error is no longer reported.
import asyncio


async def wait_until(deadline, now):
    await asyncio.sleep(deadline - now)
    return "waited"


for deadline in (1.001, 0.5):
    try:
        print(asyncio.run(wait_until(deadline, 1.0)))
    except ValueError as error:
        print("ValueError:", error)
