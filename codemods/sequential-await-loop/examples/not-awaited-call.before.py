async def fetch_all(urls):
    out = []
    for u in urls:
        out.append(fetch(u))
    lengths = []
    for u in urls:
        lengths.append((await fetch(u)).size)
    return out, lengths
