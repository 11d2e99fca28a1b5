from __future__ import annotations


def head(values: list[int]) -> int | None:
    return values[0] if values else None
