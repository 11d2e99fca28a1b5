def lowest(values, min):
    return sorted(values)[0] >= min
