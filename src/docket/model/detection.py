"""What content-based detection says about a file: its type key and any notes (an
encrypted Office package, the kind found inside a container)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Detection:
    type: str
    notes: dict[str, Any] = field(default_factory=dict)
