from time import sleep


class Worker:
    def sleep(self, seconds):
        print("resting", seconds)


async def main():
    sleep(1)
