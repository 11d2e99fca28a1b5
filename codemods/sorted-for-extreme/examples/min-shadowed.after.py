def clamp(values, min):
    return [v for v in values if v >= min]


def lowest(values):
    return sorted(values)[0]
