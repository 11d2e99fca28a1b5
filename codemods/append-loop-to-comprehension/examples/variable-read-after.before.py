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
