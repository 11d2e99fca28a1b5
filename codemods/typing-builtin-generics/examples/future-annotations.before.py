from __future__ import annotations

from typing import List, Optional


def head(values: List[int]) -> Optional[int]:
    return values[0] if values else None
