# test: runnable
import asyncio
import sys

running = 0
peak = 0


async def work(i):
    global running, peak
    running += 1
    peak = max(peak, running)
    await asyncio.sleep(0.001)
    running -= 1
    return i * 2


async def main():
    semaphore = asyncio.Semaphore(10)

    async def bounded(coro):
        async with semaphore:
            return await coro

    squares = [i * i for i in range(3)]
    results = await asyncio.gather(*[bounded(work(i)) for i in range(30)])
    print(results, squares)
    print("peak", peak, file=sys.stderr)


asyncio.run(main())
