# test: runnable
"""A star import perfmod cannot read: it could rebind `sorted` or `min`, so the
rewrite is unsafe (the import named in the reason), not dropped. `string`
binds neither."""
from string import *


def shortest(words):
    return sorted([w for w in words if w[0] in ascii_lowercase], key=len)[0]


print(shortest(["fast", "Code", "io", "here"]))
