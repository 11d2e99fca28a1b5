def sorted(values, key=None):
    return list(values)


def first(values):
    return sorted(values)[0]
