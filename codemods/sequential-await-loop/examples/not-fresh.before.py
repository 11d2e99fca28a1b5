async def extend(existing, urls):
    existing.append(await fetch("first"))
    for u in urls:
        existing.append(await fetch(u))
    out = []
    out.append(0)
    for u in urls:
        out.append(await fetch(u))
    return existing, out
