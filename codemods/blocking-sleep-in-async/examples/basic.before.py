import time


async def poll(client):
    while not client.ready():
        time.sleep(0.5)  # wait before asking again
    return client.result()
