# test: runnable
# test: unsafe-changes-behaviour
# Not every coroutine runs on asyncio: this one is driven by hand, as trio,
# curio or a test helper drive theirs. `asyncio.sleep(0)` yields to the
# driver (which gets `None` and must resume it) and `asyncio.sleep(x)` for
# x > 0 needs a running asyncio loop, so the same call now raises.
import time


async def step(delay):
    time.sleep(delay)
    return f"slept {delay}"


for delay in (0, 0.001):
    coroutine = step(delay)
    try:
        print("yielded", coroutine.send(None))
        coroutine.close()
    except StopIteration as done:
        print("returned", done.value)
    except RuntimeError as error:
        print("RuntimeError:", error)
