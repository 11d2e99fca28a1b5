# test: runnable
# test: unsafe-changes-behaviour
# Annotations of parameters, returns and class-level variables are kept in
# `__annotations__`: code reading them (`get_type_hints`, serializers, the
# stdlib's own test_typing) sees `typing.List[int]` become `list[int]`, which
# prints differently and compares unequal. Only the local variable's
# annotation, never evaluated, is rewritten without `--unsafe`.
from typing import List, get_type_hints


class Config:
    names: list[str]


def total(values: list[int]) -> dict[str, int]:
    seen: list[int] = []
    for value in values:
        seen.append(value)
    return {"total": sum(seen)}


print(get_type_hints(total))
print(get_type_hints(total)["values"] == List[int])
print(Config.__annotations__)
print(total([1, 2, 3]))
