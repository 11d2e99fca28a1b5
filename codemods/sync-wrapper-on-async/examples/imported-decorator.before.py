from profiling import timer


@timer
async def fetch_report(client):
    return await client.get("/report")
