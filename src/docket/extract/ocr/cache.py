"""OCR results cached by the hash of the page image and the languages asked for:
``CASE/ocr-cache/<sha256>-<langs>.json``. Re-runs, duplicates and the same scan inside
several containers are recognised once. Workers write concurrently, so each entry is
written to a temporary file and renamed into place (atomic on POSIX); two workers that
race on the same page write the same content."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

# Bump when post-processing changes what a cached entry should hold.
CACHE_VERSION = 4


class OcrCache:
    def __init__(self, root: Path | None) -> None:
        self.root = root  # None: caching off (no case folder to keep it in)

    def _path(self, sha256: str, langs: str) -> Path:
        assert self.root is not None
        return self.root / f"{sha256}-{langs.replace('+', '_')}.json"

    def get(self, sha256: str, langs: str) -> dict[str, Any] | None:
        if self.root is None:
            return None
        try:
            entry = json.loads(self._path(sha256, langs).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or half-written by a killed worker: recognise again
        return entry if entry.get("version") == CACHE_VERSION else None

    def put(self, sha256: str, langs: str, entry: dict[str, Any]) -> None:
        if self.root is None:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump({**entry, "version": CACHE_VERSION}, f, ensure_ascii=False)
            os.replace(tmp, self._path(sha256, langs))
        except OSError:
            pass  # a read-only case still gets its text; only the saving is lost
