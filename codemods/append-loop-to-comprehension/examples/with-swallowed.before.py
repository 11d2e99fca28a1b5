# test: runnable
# test: unsafe-changes-behaviour
import contextlib


def inverses(values):
    result = None
    with contextlib.suppress(ZeroDivisionError):
        result = []
        for v in values:
            result.append(1 / v)
    return result


def each_group(groups):
    out = None
    for group in groups:
        with contextlib.suppress(ZeroDivisionError):
            print("before", out)
            out = []
            for v in group:
                out.append(1 / v)


print(inverses([1, 2, 0, 4]))
each_group([[1, 0], [2]])
