from asyncio import sleep


async def ping_all(hosts):
    await sleep(0)
    replies = list()
    for host in hosts:
        replies.append(await ping(host))
    return replies
