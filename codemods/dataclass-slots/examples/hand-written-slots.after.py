"""The seed's `User`: a hand-written `__slots__` with a field default raises
ValueError at class creation; `slots=True` does what it meant."""
from dataclasses import dataclass as dc


# Use slots for memory-efficient classes
@dc(slots=True)
class User:
    """Memory-efficient user representation with slots."""

    id: int
    email: str
    name: str
    is_active: bool = True
