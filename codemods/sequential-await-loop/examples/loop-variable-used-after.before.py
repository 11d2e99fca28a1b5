async def fetch_all(urls):
    out = []
    for u in urls:
        out.append(await fetch(u))
    print("last url:", u)
    return out
