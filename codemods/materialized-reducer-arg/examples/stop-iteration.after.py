# test: runnable
# test: unsafe-changes-behaviour
# An element raises `StopIteration` (`next()` on an exhausted iterator). Out of
# a list comprehension it propagates as it is and the caller catches it; inside
# a generator expression PEP 479 turns it into `RuntimeError`, which escapes.


def total_of_first(values, n):
    it = iter(values)
    try:
        return sum(next(it) for _ in range(n))
    except StopIteration:
        return None


print(total_of_first([1, 2, 3], 2))
print(total_of_first([1, 2, 3], 5))
