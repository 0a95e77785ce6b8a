"""Known-file hash sets (NSRL RDS ``NSRLFile.txt`` or one hash per line): loaded into the
catalogue's ``known_hashes`` table; an item whose SHA-256, SHA-1 or MD5 is listed is
inventoried (hashes kept) but not extracted. Loading a set is a custody event: which
file, its SHA-256, its format and how many hashes it gave."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from docket.store.catalogue import Catalogue

_HEX = re.compile(r"^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{40}$|^[0-9a-fA-F]{64}$")
BATCH = 10_000
NSRL, HASH_LIST = "nsrl-rds", "hash-list"


def hash_format(path: Path) -> str:
    """``nsrl-rds`` (an NSRL RDS ``NSRLFile.txt``-style CSV) or ``hash-list``."""
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return NSRL if _is_nsrl(f.readline()) else HASH_LIST


def _is_nsrl(first: str) -> bool:
    return first.startswith('"SHA-1"') or first.upper().startswith("SHA-1,")


def _hashes(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        first = f.readline()
        if _is_nsrl(first):
            # NSRL RDS: "SHA-1","MD5","CRC32","FileName",... with a header line.
            header = next(csv.reader([first]))
            cols = [i for i, h in enumerate(header) if h.upper() in ("SHA-1", "MD5", "SHA-256")]
            for row in csv.reader(f):
                for i in cols:
                    if i < len(row) and _HEX.match(row[i]):
                        yield row[i].lower()
            return
        for line in [first, *f]:
            # One hash per line; a trailing file name (sha256sum output) is ignored.
            token = line.split("#", 1)[0].strip().split(maxsplit=1)
            if token and _HEX.match(token[0]):
                yield token[0].lower()


def load_known_hashes(cat: Catalogue, path: Path, log: Callable[..., None] | None = None) -> int:
    """Add every hash in ``path`` to the catalogue, the set named by the file's name.
    Returns how many hashes were read. ``log`` (``Case.log``) gets a ``known-hashes``
    custody event once they are committed."""
    source = path.name
    n = 0
    batch: list[tuple[str, str]] = []
    cat.begin()
    try:
        for h in _hashes(path):
            batch.append((h, source))
            n += 1
            if len(batch) >= BATCH:
                cat.db.executemany("INSERT OR IGNORE INTO known_hashes VALUES (?, ?)", batch)
                batch = []
        cat.db.executemany("INSERT OR IGNORE INTO known_hashes VALUES (?, ?)", batch)
        cat.commit()
    except BaseException:
        cat.rollback()
        raise
    if log is not None:
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        log(
            "known-hashes",
            file=path.name,
            path=str(path.resolve()),
            sha256=digest,
            hashes=n,
            format=hash_format(path),
        )
    return n


def has_known(cat: Catalogue) -> bool:
    return cat.db.execute("SELECT 1 FROM known_hashes LIMIT 1").fetchone() is not None


def known_match(cat: Catalogue, item: dict[str, Any]) -> str | None:
    """The message for an item whose hash is in a loaded set, else None."""
    for key in ("sha256", "sha1", "md5"):
        value = item.get(key)
        if not value:
            continue
        row = cat.db.execute(
            "SELECT source FROM known_hashes WHERE hash = ?", (value.lower(),)
        ).fetchone()
        if row is not None:
            return f"known file: {key.upper().replace('SHA', 'SHA-')} in hash set {row[0]}"
    return None


def known_result(result: Any, message: str) -> Any:
    """``result`` (an ``ExtractResult``) turned into a known-file skip: nothing extracted."""
    from docket.model.errors import Code
    from docket.model.items import Status

    result.status, result.code, result.message = Status.SKIPPED, str(Code.KNOWN_FILE), message
    result.segments, result.children, result.warnings, result.mentions = [], [], [], []
    return result
