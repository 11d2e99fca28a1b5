import hashlib


def hash(text):
    return hashlib.sha256(text.encode()).hexdigest()


def make_key(args):
    cache_key = f"k:{hash(str(args))}"
    return cache_key
