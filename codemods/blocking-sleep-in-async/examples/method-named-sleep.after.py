from time import sleep
import asyncio


class Worker:
    def sleep(self, seconds):
        print("resting", seconds)


async def main():
    await asyncio.sleep(1)
