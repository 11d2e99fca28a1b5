def dataclass(cls):
    """A local decorator named `dataclass` is not `dataclasses.dataclass`."""
    return cls


@dataclass
class Point:
    x: int
