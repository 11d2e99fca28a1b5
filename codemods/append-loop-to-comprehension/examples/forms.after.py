# test: runnable
class Table:
    def __init__(self, rows):
        self.rows = rows

    def cells(self):
        # one cell per row
        out: list[str] = [f"{name}={value}" for name, value in self.rows]
        return out

    def picked(self, wanted):
        result = [name.upper() for name, _ in self.rows if name in wanted or not wanted]
        return result


def squares(values):
    squares = [v * v for v in values if v % 2 == 0]
    return squares


def pairs(a, b):
    out = [(x, x) for x in (a, b)]
    return out


t = Table([("a", 1), ("b", 2)])
print(t.cells(), t.picked({"b"}), squares(range(10)), pairs(1, 2))
