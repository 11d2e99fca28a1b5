import time


def wait():
    time.sleep(1)


async def outer():
    def inner():
        time.sleep(1)  # a plain def inside async def still blocks only its caller
    return inner
