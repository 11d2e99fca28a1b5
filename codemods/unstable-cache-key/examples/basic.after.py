import hashlib


def cached_db_query(cache):
    def decorator(func):
        async def wrapper(*args, **kwargs):
            cache_key = f"{func.__name__}:{hashlib.sha256((str(args) + str(kwargs)).encode()).hexdigest()}"
            result = await cache.get(cache_key)
            if result is None:
                result = await func(*args, **kwargs)
                await cache.set(cache_key, result)
            return result
        return wrapper
    return decorator
