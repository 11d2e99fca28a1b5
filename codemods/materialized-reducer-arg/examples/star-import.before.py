# test: runnable
"""A star import perfmod cannot read: it could rebind `sum`, so the rewrite is
unsafe (with the import named), not dropped. `string` does not bind it."""
from string import *


def total(words):
    return sum([len(word) for word in words if word[0] in ascii_lowercase])


print(total(["fast", "Code", "here"]))
