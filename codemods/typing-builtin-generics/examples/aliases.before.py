"""Aliased imports, nested generics, unions, comments inside the brackets."""
import typing as t
from typing import FrozenSet as FS, Tuple, Type, Union


class Registry:
    kinds: t.Dict[str, t.Optional[t.List[int]]]

    def lookup(self, key: Union[int, str, None]) -> Tuple[int, ...]:
        return ()

    def frozen(self, cls: Type[Exception]) -> FS[str]:
        return frozenset()


def pairs(
    values: t.Set[  # the values to pair
        int
    ],
) -> t.Union[t.List[Tuple[int, int]], None]:
    return None
