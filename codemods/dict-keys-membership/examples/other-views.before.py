def views(d, k):
    snapshot = list(d.keys())
    if k in d.values():
        return snapshot
    for key, value in d.items():
        print(key, value)
    return d.keys() == {"a"}
