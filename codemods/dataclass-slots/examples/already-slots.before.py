from dataclasses import dataclass


@dataclass(slots=True)
class Point:
    x: int


@dataclass(**{"frozen": True})
class Options:
    verbose: bool
