def loops(values):
    for v in [1, 2, 3]:
        print(v)
    squares = [v * v for v in [1, 2, 3]]
    same = values == [1, 2, 3]
    chained = 1 in [1, 2] == values
    ordered = values < [1, 2] or 1 in values < [3]
    return squares, same, chained, ordered
