async def first_ok(urls):
    out = []
    for u in urls:
        if u is None:
            break
        out.append(await fetch(u))
    found = []
    for u in urls:
        found.append(await fetch(u))
    else:
        found.append(None)
    return out, found
