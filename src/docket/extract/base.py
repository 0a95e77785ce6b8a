"""What an extractor is: the types it reads, a match score, and ``extract``."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from docket.extract.detect import Detection
from docket.extract.sink import Sink


class Extractor:
    """Base class. Subclasses set ``name`` and ``types`` and implement ``extract``.

    ``extract`` reads the file at ``path`` (a read-only blob) and writes to ``sink``. It
    raises ``ExtractError`` (or ``EncryptedError``) when the item cannot be read at all,
    calls ``sink.warn`` when a part fails, and lets ``LimitExceeded`` propagate.
    """

    name: ClassVar[str] = ""
    types: ClassVar[frozenset[str]] = frozenset()
    priority: ClassVar[int] = 50

    def score(self, detection: Detection) -> int:
        """How well this extractor fits; the highest score wins, 0 means no."""
        return self.priority if detection.type in self.types else 0

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        raise NotImplementedError
