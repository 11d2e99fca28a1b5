def last_seen(items, other, flag):
    out = []
    for item in items:
        out.append(item)
    if flag:
        item = None
    return out, item


def frame_seen(items):
    out = []
    for item in items:
        out.append(item)
    return out, locals()


def touched_between(items):
    out = []
    out_alias = out
    for item in items:
        out.append(item)
    return out_alias


def rebound_in_empty_loop(items, others):
    out = []
    for item in items:
        out.append(item)
    for item in others:
        pass
    return out, item


def break_before_rebind(groups):
    for group in groups:
        out = []
        for item in group:
            out.append(item)
        if not out:
            break
        item = None
    return item


def rebound_in_branch(items, flag):
    out = []
    for item in items:
        out.append(item)
    if flag:
        item = None
        print(item)
    return out, item


def read_by_later_iterable(items):
    out = []
    for item in items:
        out.append(item)
    for item in item:
        print(item)
    return out


def first_iterable_of_comprehension(items):
    out = []
    for item in items:
        out.append(item)
    return out, [y for y in item]
