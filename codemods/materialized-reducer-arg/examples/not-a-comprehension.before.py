def totals(xs, ys):
    first = sum([1, 2, 3])
    second = max(xs)
    third = min((x for x in ys))
    fourth = sum(list(xs), [y for y in ys])
    return first, second, third, fourth
