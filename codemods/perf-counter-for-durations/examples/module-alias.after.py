import time as t


async def handler(request):
    t0 = t.perf_counter()
    response = await request.send()
    response.headers["X-Elapsed"] = str(t.perf_counter() - t0)
    return t.perf_counter() - t0
