async def load(cache, redis, keys):
    values = []
    for key in keys:
        values.append(cache.get(key, None))  # a dict-like cache, not a database session
        values.append(await redis.get(Key, key))
    return values
