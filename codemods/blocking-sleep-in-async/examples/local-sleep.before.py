def sleep(seconds):
    print("not time.sleep", seconds)


async def main():
    sleep(1)
