import time


async def main():
    # Not a statement of its own: rewriting could move an await into a lambda.
    callback = lambda: time.sleep(1)
    values = [time.sleep(0) for _ in range(3)]
    return callback, values
