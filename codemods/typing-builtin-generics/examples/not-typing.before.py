"""A local `List` is not `typing.List`."""


class List:
    def __class_getitem__(cls, item):
        return cls


def total(values: List[int]) -> int:
    return sum(values)
