# test: runnable
# test: unsafe-changes-behaviour
# An object with `readlines()` that is not a file: iterating over it yields
# records, not lines (or raises TypeError when it has no `__iter__`).


class Report:
    def __init__(self, rows):
        self.rows = rows

    def readlines(self):
        return [",".join(row) + "\n" for row in self.rows]

    def __iter__(self):
        return iter(self.rows)


def count_chars(source):
    total = 0
    for line in source.readlines():
        total += len(line)
    return total


print(count_chars(Report([["a", "b"], ["cc", "d"]])))
