def extend_existing(out, items):
    for x in items:
        out.append(x)
    return out


def prefilled(items):
    out = [0]
    for x in items:
        out.append(x)
    return out


out = []
for x in range(3):
    out.append(x)


class Config:
    FACTOR = 2
    values = []
    for i in range(3):
        values.append(i * FACTOR)
