# test: runnable
class Table:
    def __init__(self, rows):
        self.rows = rows

    def cells(self):
        out: list[str] = []
        for name, value in self.rows:
            out.append(f"{name}={value}")  # one cell per row
        return out

    def picked(self, wanted):
        result = []
        for name, _ in self.rows:
            if name in wanted or not wanted:
                result.append(name.upper())
        return result


def squares(values):
    squares = []
    for v in values:
        if v % 2 == 0:
            squares.append(v * v)
    return squares


def pairs(a, b):
    out = []
    for x in a, b:
        out.append((x, x))
    return out


t = Table([("a", 1), ("b", 2)])
print(t.cells(), t.picked({"b"}), squares(range(10)), pairs(1, 2))
