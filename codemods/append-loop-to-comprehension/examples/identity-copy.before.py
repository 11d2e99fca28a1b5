def snapshot(queue, pairs):
    items = []
    for item in queue:
        items.append(item)
    flat = []
    for a, b in pairs:
        flat.append((a, b))
    return items, flat
