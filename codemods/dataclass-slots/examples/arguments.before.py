# test: runnable
"""`import dataclasses`, keyword arguments kept, a nested class, a comment."""
import dataclasses
from typing import ClassVar


@dataclasses.dataclass(frozen=True, order=True)  # value object
class Money:
    amount: int
    currency: str = "EUR"
    rate: ClassVar[float] = 1.0

    def __post_init__(self):
        object.__setattr__(self, "currency", self.currency.upper())


def make_pairs():
    @dataclasses.dataclass(
        eq=True,
        repr=True,
    )
    class Pair:
        left: int
        right: int = 0

    return [Pair(1, 2), Pair(3)]


if __name__ == "__main__":
    print(sorted([Money(3, "usd"), Money(1)]), make_pairs())
