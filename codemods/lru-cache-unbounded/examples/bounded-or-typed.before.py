from functools import lru_cache
options = {"typed": True}


@lru_cache(maxsize=256)
def bounded(n):
    return n


@lru_cache(maxsize=None, typed=True)
def typed(n):
    return n


@lru_cache
def default_size(n):
    return n


@lru_cache()
def default_size_called(n):
    return n


@lru_cache(None, True)
def typed_by_position(n):
    return n


@lru_cache(maxsize=None, **options)
def unknown_options(n):
    return n
