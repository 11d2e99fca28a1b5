def snapshot(queue, pairs):
    items = list(queue)
    flat = [(a, b) for a, b in pairs]
    return items, flat
