# test: runnable
"""Annotations of variables in a function body are never evaluated (PEP 526):
rewritten without `--unsafe`. Those of parameters, returns, module- and
class-level variables (a class inside a function included) are kept in
`__annotations__`: unsafe."""
from typing import Dict, List, Tuple

CACHE: Dict[str, int] = {}


class Stack:
    def __init__(self) -> None:
        self.items: List[int] = []

    def push(self, item: int) -> None:
        pending: List[int]
        pending = [item]
        self.items.extend(pending)


def pairs(words):
    class Pair:
        left: str
        right: Tuple[str, ...]

    out: List[Tuple[str, str]] = [(w, w.upper()) for w in words]
    return out, Pair.__annotations__


stack = Stack()
stack.push(3)
print(stack.items, pairs(["a", "b"])[0], CACHE)
