# test: runnable
import builtins as b

checked = []


def is_positive(n):
    checked.append(n)
    return n > 0


print(any([is_positive(n) for n in [3, -1, 2]]))
print(b.all([n % 2 == 0 for n in range(0, 10, 2)]))
print(sum([n for n in range(5)]), max([len(w) for w in ["a", "abc"]]))
