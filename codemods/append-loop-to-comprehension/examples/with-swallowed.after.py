# test: runnable
# test: unsafe-changes-behaviour
import contextlib


def inverses(values):
    result = None
    with contextlib.suppress(ZeroDivisionError):
        result = [1 / v for v in values]
    return result


def each_group(groups):
    out = None
    for group in groups:
        with contextlib.suppress(ZeroDivisionError):
            print("before", out)
            out = [1 / v for v in group]


print(inverses([1, 2, 0, 4]))
each_group([[1, 0], [2]])
