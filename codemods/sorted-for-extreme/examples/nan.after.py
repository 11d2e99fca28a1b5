# test: runnable
# test: unsafe-changes-behaviour
# Items that are not totally ordered: with a NaN among the floats the sort
# leaves it where comparisons cannot move it, and `sorted()[0]` and `min()`
# disagree.
readings = [2.0, float("nan"), 1.0, 3.0]


def lowest(values):
    return min(values)


print(lowest(readings))
