async def lines(stream):
    async for line in stream.readlines():
        print(line)
