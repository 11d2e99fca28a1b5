async def crawl(start):
    pages = []
    for link in start.links:
        pages.append(await fetch(link, previous=pages))
    total = 0
    sizes = []
    for page in pages:
        total += page.size
        sizes.append(await measure(page, total))
    return pages, sizes
