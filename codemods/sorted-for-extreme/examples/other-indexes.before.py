def middle(values):
    return sorted(values)[len(values) // 2], sorted(values)[1], sorted(values)[:3], sorted(values)[-2]
