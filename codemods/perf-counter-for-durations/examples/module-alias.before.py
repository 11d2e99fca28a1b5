import time as t


async def handler(request):
    t0 = t.time()
    response = await request.send()
    response.headers["X-Elapsed"] = str(t.perf_counter() - t0)
    return t.time() - t0
