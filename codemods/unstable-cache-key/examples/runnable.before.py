# test: runnable
import sys

store = {}


def remember(*args):
    key = "calc:" + str(hash(str(args)))
    store[key] = sum(args)
    return key


k = remember(1, 2, 3)
print(store[k], k.startswith("calc:"), len(store))
