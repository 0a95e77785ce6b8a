"""Opening OLE2 compound files (DOC, XLS, PPT, MSG, embedded objects) for extractors."""

from __future__ import annotations

from pathlib import Path

import olefile

from docket.model.errors import Code, ExtractError


def open_ole(path: Path) -> olefile.OleFileIO:
    """The compound file at ``path``; a damaged one is ``ExtractError(corrupt)``."""
    try:
        return olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises many types on damaged files
        raise ExtractError(Code.CORRUPT, f"not a readable OLE2 compound file: {exc}") from exc
