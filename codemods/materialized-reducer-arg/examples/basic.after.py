def sum_of_squares(values):
    return sum(x * x for x in values)
