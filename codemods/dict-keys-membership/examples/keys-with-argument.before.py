def matching(redis, pattern):
    for key in redis.keys(pattern):
        print(key)
    return "x" in redis.keys("x*")
