from typing import Iterable, Tuple, Union


def dump(indent: Union[None, int, str] = 2) -> str:
    return str(indent)


def pairs() -> (
    Iterable[Tuple[str, int]]
):
    return iter([("a", 1)])
