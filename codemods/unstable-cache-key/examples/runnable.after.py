# test: runnable
import hashlib
import sys

store = {}


def remember(*args):
    key = "calc:" + str(hashlib.sha256(str(args).encode()).hexdigest())
    store[key] = sum(args)
    return key


k = remember(1, 2, 3)
print(store[k], k.startswith("calc:"), len(store))
