# test: runnable
from typing import Any


def group(words: list[str]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for word in words:
        groups.setdefault(len(word), []).append(word)
    return groups


def first(items: list[Any]) -> Any | None:
    return items[0] if items else None


print(group(["a", "bb", "cc", "d"]))
print(first([]), first([3, 4]))
