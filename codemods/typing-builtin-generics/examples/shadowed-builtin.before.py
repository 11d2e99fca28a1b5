"""`list` is rebound in this file: `List[int]` -> `list[int]` would change meaning."""
from typing import List


def list(*items):
    return items


def total(values: List[int]) -> int:
    return sum(values)
