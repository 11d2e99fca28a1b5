"""String annotations are not parsed; a forward reference in a union would
become `"Node" | None`, a TypeError at definition time."""
from typing import List, Optional, Union


class Node:
    def next(self) -> Optional["Node"]:
        return None

    def both(self) -> Union["Node", int]:
        return 0

    def children(self) -> "List[Node]":
        return []

    def siblings(self) -> List["Node"]:
        # Python 3.10's get_type_hints resolves List["Node"], not list["Node"].
        return []
