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
