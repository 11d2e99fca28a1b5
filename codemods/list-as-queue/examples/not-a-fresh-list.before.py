def drain(queue):
    # A parameter: the caller's list, and the caller may rely on its type.
    while queue:
        queue.pop(0)


def tail(items):
    rest = items.copy()
    rest.pop(0)
    return len(rest)


def pops_elsewhere(items):
    stack = []
    stack.extend(items)
    stack.pop(1)
    stack.insert(2, "x")
    return len(stack)
