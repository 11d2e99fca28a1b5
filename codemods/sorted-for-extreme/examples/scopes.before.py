class Limits:
    max = 100
    min = 0


def clamp(values, min):
    return [v for v in values if v >= min]


def first_of_copy(values):
    sorted = list(values)
    return sorted[0]


def lowest(values):
    return sorted(values)[0]


def highest(values):
    return sorted(values, reverse=True)[0]
