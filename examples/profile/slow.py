"""A slow script for `perfmod check --profile`: two anti-patterns, one hot, one cold.

It walks a synthetic link graph breadth-first and prints how many
pages it reached and how deep the walk went. Standard library only.
"""
import sys

PAGES = 150_000


def links(page):
    """Each page links to two others, like a binary tree laid out in an array."""
    return [child for child in (2 * page + 1, 2 * page + 2) if child < PAGES]


def start_page(argv):
    """Runs once: the walk starts at the smallest page number given, else at 0."""
    pages = [int(arg) for arg in argv if arg.isdigit()] or [0]
    return sorted(pages)[0]  # cold: sorts every page number to find the smallest, once


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
    reached, deepest = crawl(start_page(sys.argv[1:]))
    print(f"reached {reached} pages, {deepest} links deep")


if __name__ == "__main__":
    main()
