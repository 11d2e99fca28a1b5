def check(x, rest):
    return x in [] or x in [*rest, 1] or x in [1, 2] + rest
