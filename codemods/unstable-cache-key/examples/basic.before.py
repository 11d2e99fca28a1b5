def cached_db_query(cache):
    def decorator(func):
        async def wrapper(*args, **kwargs):
            cache_key = f"{func.__name__}:{hash(str(args) + str(kwargs))}"
            result = await cache.get(cache_key)
            if result is None:
                result = await func(*args, **kwargs)
                await cache.set(cache_key, result)
            return result
        return wrapper
    return decorator
