"""Outside annotations these are runtime values: left alone."""
from typing import List, Optional, cast

IntList = List[int]
MaybeInt = Optional[int]


def check(value: object) -> bool:
    numbers = cast(List[int], value)
    return isinstance(numbers, list) and List is not None
