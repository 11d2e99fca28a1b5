# test: runnable
from typing import Any, Dict, List, Optional


def group(words: List[str]) -> Dict[int, List[str]]:
    groups: Dict[int, List[str]] = {}
    for word in words:
        groups.setdefault(len(word), []).append(word)
    return groups


def first(items: List[Any]) -> Optional[Any]:
    return items[0] if items else None


print(group(["a", "bb", "cc", "d"]))
print(first([]), first([3, 4]))
