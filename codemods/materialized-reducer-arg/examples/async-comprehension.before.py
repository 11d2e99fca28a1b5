async def total(fetchers):
    # A generator with `await` would be an async generator: sum() cannot use it.
    first = sum([await f() for f in fetchers])
    second = max([x async for x in fetchers])
    return first, second
