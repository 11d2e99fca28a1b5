from dataclasses import dataclass
from functools import cached_property


@dataclass
class Circle:
    """`cached_property` stores into the instance `__dict__`, which slots remove."""
    radius: float

    @cached_property
    def area(self) -> float:
        return 3.14159 * self.radius ** 2
