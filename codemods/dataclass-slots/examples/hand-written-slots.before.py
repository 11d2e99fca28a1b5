"""The seed's `User`: a hand-written `__slots__` with a field default raises
ValueError at class creation; `slots=True` does what it meant."""
from dataclasses import dataclass as dc


# Use slots for memory-efficient classes
@dc()
class User:
    """Memory-efficient user representation with slots."""
    __slots__ = ['id', 'email', 'name', 'is_active']

    id: int
    email: str
    name: str
    is_active: bool = True
