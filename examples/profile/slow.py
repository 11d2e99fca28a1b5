"""A slow script for `perfmod check --profile`: two anti-patterns, one hot, one cold.

It walks a synthetic link graph breadth-first from page 0 and prints how many
pages it reached and how deep the walk went. Standard library only.
"""
import sys

PAGES = 150_000


def links(page):
    """Each page links to two others, like a binary tree laid out in an array."""
    return [child for child in (2 * page + 1, 2 * page + 2) if child < PAGES]


def load_settings(argv):
    """Runs once: reads `--quiet` from the command line."""
    settings = {"quiet": False}
    for arg in argv:
        if arg in ["--quiet", "-q"]:  # cold: membership in a list literal, once per argument
            settings["quiet"] = True
    return settings


def crawl(start):
    """Breadth-first walk: the program's hot loop."""
    queue = [(start, 0)]
    seen = {start}
    deepest = 0
    while queue:
        page, depth = queue.pop(0)  # hot: list.pop(0) moves every queued item, per page
        deepest = max(deepest, depth)
        for child in links(page):
            if child not in seen:
                seen.add(child)
                queue.append((child, depth + 1))
    return len(seen), deepest


def main():
    settings = load_settings(sys.argv[1:])
    reached, deepest = crawl(0)
    if not settings["quiet"]:
        print(f"reached {reached} pages, {deepest} links deep")


if __name__ == "__main__":
    main()
