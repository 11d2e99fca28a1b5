from typing import Iterable


def dump(indent: None | int | str = 2) -> str:
    return str(indent)


def pairs() -> (
    Iterable[tuple[str, int]]
):
    return iter([("a", 1)])
