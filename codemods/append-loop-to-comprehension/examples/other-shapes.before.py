async def fetch_all(urls, fetch):
    pages = []
    for u in urls:
        pages.append(await fetch(u))
    return pages


def with_break(items):
    out = []
    for x in items:
        if x is None:
            break
        out.append(x)
    return out


def with_else(items):
    out = []
    for x in items:
        out.append(x)
    else:
        out.append(None)
    return out


def self_reference(items):
    out = []
    for x in items:
        out.append(len(out) + x)
    return out


def two_lists(items):
    out = []
    for x in items:
        if x:
            out.append(x)
        else:
            out.append(-x)
    return out


def attribute_target(obj, items):
    out = []
    for obj.current in items:
        out.append(obj.current)
    return out


def guarded(items):
    out = []
    try:
        for x in items:
            out.append(int(x))
    except ValueError:
        return out
    return out


class Child(list):
    def doubled(self, items):
        out = []
        for x in items:
            out.append(super().count(x))
        return out


def inner_variable_read_first(rows):
    out = []
    for row in rows:
        if cell:
            for cell in row:
                out.append(cell)
    return out


def inner_iterable_reads_inner_variable(rows, cell):
    out = []
    for row in rows:
        for cell in cell[row]:
            out.append(cell)
    return out


def inner_else(rows):
    out = []
    for row in rows:
        for cell in row:
            out.append(cell)
        else:
            print(row)
    return out


def outer_does_more(rows):
    out = []
    for row in rows:
        print(row)
        for cell in row:
            out.append(cell)
    return out


def three_deep(cubes):
    out = []
    for plane in cubes:
        for row in plane:
            for cell in row:
                out.append(cell)
    return out
