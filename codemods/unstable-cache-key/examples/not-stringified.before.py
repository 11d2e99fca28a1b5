def make_key(args, kwargs):
    cache_key = hash((args, frozenset(kwargs.items())))
    other_key = hash(args)
    return cache_key, other_key
