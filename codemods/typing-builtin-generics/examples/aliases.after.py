"""Aliased imports, nested generics, unions, comments inside the brackets."""


class Registry:
    kinds: dict[str, list[int] | None]

    def lookup(self, key: int | str | None) -> tuple[int, ...]:
        return ()

    def frozen(self, cls: type[Exception]) -> frozenset[str]:
        return frozenset()


def pairs(
    values: set[  # the values to pair
        int
    ],
) -> list[tuple[int, int]] | None:
    return None
