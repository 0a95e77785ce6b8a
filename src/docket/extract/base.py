"""What an extractor is: the types it declares and reads, a match score, and ``extract``."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection


class Extractor:
    """Base class. Subclasses set ``name`` and ``file_types`` and implement ``extract``.

    ``file_types`` declares each type the extractor reads — key, MIME type, family,
    extensions and how to recognise it; detection and the type table are built from these
    declarations. ``types`` (the keys it reads) follows from them unless set.

    ``extract`` reads the file at ``path`` (a read-only blob) and writes to ``sink``. It
    raises ``ExtractError`` (or ``EncryptedError``) when the item cannot be read at all,
    calls ``sink.warn`` when a part fails, and lets ``LimitExceeded`` propagate.
    """

    name: ClassVar[str] = ""
    file_types: ClassVar[tuple[FileType, ...]] = ()
    types: ClassVar[frozenset[str]] = frozenset()
    priority: ClassVar[int] = 50

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "types" not in cls.__dict__ and "file_types" in cls.__dict__:
            cls.types = frozenset(t.key for t in cls.file_types)

    def score(self, detection: Detection) -> int:
        """How well this extractor fits; the highest score wins, 0 means no."""
        return self.priority if detection.type in self.types else 0

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        raise NotImplementedError
