import weakref
from dataclasses import dataclass


@dataclass
class Node:
    """Instances are weakly referenced: slots remove `__weakref__`."""
    value: int


registry = weakref.WeakSet()
registry.add(Node(1))
