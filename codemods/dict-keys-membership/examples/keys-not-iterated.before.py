def compare(d, other):
    ks = d.keys()
    same = d.keys() in other
    return ks, same, len(d.keys())
