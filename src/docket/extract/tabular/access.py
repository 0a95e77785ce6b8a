"""Microsoft Access databases (``.mdb`` Jet 3/4, ``.accdb`` ACE) through ``access-parser``
(pure Python): each user table a sheet, its column names as row 1 and one segment per
record after them, as for a workbook, so table records come out of the same enricher.

The parser reads the whole file into memory, so databases over ``MAX_ACCESS`` bytes are
kept and recorded ``skipped`` / ``too-large``. What it logs as an error while reading a
page or a record (a damaged page, a memo it could not follow) becomes a warning on the
item, which then ends ``partial``: nothing it skipped goes unsaid.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.sink import Sink
from docket.extract.tabular.spreadsheet import row_text
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_ACCESS = 512 * 1024 * 1024
MAX_WARNINGS = 20
_JET = {0: "Jet 3 (Access 97)", 1: "Jet 4 (Access 2000-2003)", 2: "ACE 12 (Access 2007)",
        3: "ACE 14 (Access 2010+)", 4: "ACE 15", 5: "ACE 16", 6: "ACE 17"}  # fmt: skip

MDB = FileType(
    "mdb",
    "application/x-msaccess",
    "database",
    ("mdb", "accdb", "mde", "accde"),
    magic=((4, b"Standard Jet DB\x00"), (4, b"Standard ACE DB\x00")),
    order=10,
)


class _Collect(logging.Handler):
    """The parser's own complaints, kept for the item's warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if len(self.messages) < MAX_WARNINGS and text not in self.messages:
            self.messages.append(text[:300])


class AccessExtractor(Extractor):
    name = "access"
    file_types = (MDB,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        size = path.stat().st_size
        if size > MAX_ACCESS:
            raise ExtractError(
                Code.TOO_LARGE, f"database over {MAX_ACCESS} bytes, kept unread", status="skipped"
            )
        with open(path, "rb") as f:
            head = f.read(0x80)
        version = int.from_bytes(head[0x14:0x18], "little") if len(head) >= 0x18 else -1
        sink.meta("format", _JET.get(version, f"unknown Jet version {version}"))
        log = logging.getLogger("access_parser")
        collect = _Collect()
        log.addHandler(collect)
        saved, log.propagate = log.propagate, False
        try:
            self._read(path, sink)
        finally:
            log.removeHandler(collect)
            log.propagate = saved
        for message in collect.messages:
            sink.warn(Code.PAGE_ERROR, f"access-parser: {message}")

    def _read(self, path: Path, sink: Sink) -> None:
        from access_parser import AccessParser

        try:
            db = AccessParser(str(path))
        except Exception as exc:  # any parser failure on the catalogue: nothing readable
            raise _unreadable(path, exc) from exc
        names = [n for n in db.catalog if n != "MSysObjects" and not n.startswith("MSys")]
        sink.meta("sheets", names)
        counts: dict[str, int] = {}
        for name in names:
            if sink.text_chars >= sink.limits.max_text:
                sink.warn(Code.TOO_LARGE, f"text limit reached before table {name!r}")
                break
            try:
                table = db.parse_table(name) or {}
            except Exception as exc:  # one damaged table must not cost the others
                sink.warn(
                    Code.PAGE_ERROR, f"table {name!r} unreadable: {type(exc).__name__}: {exc}"
                )
                continue
            counts[name] = _table(name, table, sink)
        sink.meta("rows", counts)


def _unreadable(path: Path, exc: Exception) -> ExtractError:
    """Why the catalogue could not be read: a file cut short, or damage."""
    with open(path, "rb") as f:
        head = f.read(0x18)
    page = 2048 if head[0x14:0x15] == b"\x00" else 4096  # Jet 3 pages are 2 KB, later 4 KB
    size = path.stat().st_size
    if size % page or size < 3 * page:
        return ExtractError(
            Code.TRUNCATED,
            f"Access database cut short: {size} bytes is not whole {page}-byte pages "
            f"holding the catalogue ({type(exc).__name__}: {exc})",
        )
    return ExtractError(Code.CORRUPT, f"unreadable Access database: {type(exc).__name__}: {exc}")


def _table(name: str, table: dict[str, Any], sink: Sink) -> int:
    """Row 1 the column names, then each record; returns the number of records."""
    columns = list(table)
    sink.text(row_text(columns), sheet=name, row=1)
    values = [v if isinstance(v, list) else [] for v in table.values()]
    count = max((len(v) for v in values), default=0)
    for i in range(count):
        cells = [_cell(v[i]) if i < len(v) else "" for v in values]
        sink.text(row_text(cells), sheet=name, row=i + 2)
        if sink.text_chars >= sink.limits.max_text:
            break
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return f"[{len(value)} bytes]"  # an OLE object or a memo the parser left raw
    return value
