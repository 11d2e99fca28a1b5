# Unsafe: with ties, sorted(...)[-1] is the LAST equal element, max() the first.
def latest_event(timestamps):
    return max(timestamps)


def smallest_last(items):
    return min(items, key=len)


# Unsafe: the local handler sees IndexError before, ValueError after.
def first_or_none(items):
    try:
        return min(items)
    except IndexError:
        return None
