from dataclasses import dataclass


@dataclass
class Entry:
    """`__slots__` names an attribute that is not a field."""
    __slots__ = ("key", "cache")

    key: str
