def pick(x, a, b):
    return x in [a, b] or x in [f"{a}", "b"] or x in [[1], [2]] or x in [{1: 2}]
