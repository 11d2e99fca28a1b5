class Limits:
    max = 100
    min = 0


def clamp(values, min):
    return [v for v in values if v >= min]


def first_of_copy(values):
    sorted = list(values)
    return sorted[0]


def lowest(values):
    return min(values)


def highest(values):
    return max(values)
