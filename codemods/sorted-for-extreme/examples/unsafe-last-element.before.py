# Unsafe: with ties, sorted(...)[-1] is the LAST equal element, max() the first.
def latest_event(timestamps):
    return sorted(timestamps)[-1]


def smallest_last(items):
    return sorted(items, key=len, reverse=True)[-1]


# Unsafe: the local handler sees IndexError before, ValueError after.
def first_or_none(items):
    try:
        return sorted(items)[0]
    except IndexError:
        return None
