"""Workbooks (xlsx, xlsb, xls, ods) through calamine: one segment per non-empty row.

calamine parses in Rust without evaluating anything and without an XML entity
expander; it loads one sheet at a time, so memory follows the largest sheet, not the
workbook, and we drop each sheet before loading the next. Row numbers are the ones a
spreadsheet program shows (1-based, counting from A1, not from the first used row);
leading empty columns of the used range are not shown.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import python_calamine as pc

from docket.extract import properties
from docket.extract.base import Extractor
from docket.extract.containers import odf, ole_storage, ooxml
from docket.extract.detect import Probe
from docket.extract.documents._odfcrypt import is_encrypted as odf_encrypted
from docket.extract.olefiles import open_ole
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError

SEP = " | "


def cell_text(value: Any) -> str:
    """One cell as text: whole floats without '.0', dates and times as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def row_text(cells: Iterable[Any]) -> str:
    texts = [cell_text(c) for c in cells]
    while texts and not texts[-1]:
        texts.pop()  # trailing blanks are layout; inner ones keep columns aligned
    return SEP.join(texts) if any(texts) else ""


def _is_panic(exc: BaseException) -> bool:
    # pyo3 turns a Rust panic into PanicException, a BaseException: calamine panics on
    # some malformed files instead of returning an error.
    return type(exc).__name__ == "PanicException"


def xls_encrypted(path: Path) -> bool:
    """True when a legacy .xls declares encryption (a FILEPASS record, type 0x002F, in the
    workbook globals before their EOF); calamine only says it cannot read the file."""
    import struct

    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = "Workbook" if ole.exists("Workbook") else "Book"
            data = ole.openstream(name).read(256 * 1024) if ole.exists(name) else b""
    except Exception:  # not OLE, or damaged: not ours to judge here
        return False
    pos = 0
    while pos + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, pos)
        if kind == 0x002F:
            return True
        if kind == 0x000A:  # EOF of the globals substream
            return False
        pos += 4 + size
    return False


def embedded(path: Path, sink: Sink) -> None:
    """Objects embedded in an OOXML workbook (a PDF, a document) become children."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.filename.startswith("xl/embeddings/") and not info.is_dir():
                    try:
                        with z.open(info) as member:
                            sink.child(info.filename, member)
                    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                        sink.child_error(info.filename, Code.MEMBER_ERROR, str(exc))
    except (zipfile.BadZipFile, OSError) as exc:
        sink.warn(Code.MEMBER_ERROR, f"embedded objects not read: {exc}")


def workbook_properties(path: Path, kind: str) -> dict[str, Any]:
    """Who made a workbook and when, read from its container; {} when unreadable:
    properties are a bonus, and a damaged part must not cost the rows."""
    try:
        if kind in ("xlsx", "xlsb"):
            with zipfile.ZipFile(path) as z:
                return properties.ooxml(z, kind.upper())
        if kind == "ods":
            with zipfile.ZipFile(path) as z:
                return properties.odf_package(z, "ODS")
        if kind == "xls":
            with open_ole(path) as ole:
                return properties.ole(ole)
    except Exception:
        return {}
    return {}


def _xlsb(probe: Probe) -> bool:
    return ooxml("xl/")(probe) and "xl/workbook.bin" in probe.members


ODS = FileType(
    "ods",
    "application/vnd.oasis.opendocument.spreadsheet",
    "spreadsheet",
    ("ods", "ots"),
    container="zip",
    sniff=odf("opendocument.spreadsheet"),
    order=11,
)

XLSB = FileType(
    "xlsb",
    "application/vnd.ms-excel.sheet.binary.macroenabled.12",
    "spreadsheet",
    ("xlsb",),
    container="zip",
    sniff=_xlsb,
    order=21,
)

XLSX = FileType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "spreadsheet",
    ("xlsx", "xlsm", "xltx", "xltm"),
    container="zip",
    sniff=ooxml("xl/"),
    order=22,
)

XLS = FileType(
    "xls",
    "application/vnd.ms-excel",
    "spreadsheet",
    ("xls", "xlt"),
    container="ole",
    sniff=ole_storage("Workbook", "Book"),
    order=11,
)


class SpreadsheetExtractor(Extractor):
    name = "spreadsheet"
    file_types = (XLSX, XLSB, XLS, ODS)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        if detection.notes.get("encrypted"):
            raise EncryptedError("password-protected workbook (encrypted OOXML package)")
        if detection.type == "ods" and odf_encrypted(path):  # calamine may not tell
            raise EncryptedError("password-protected workbook (encrypted ODF package)")
        properties.write(sink, workbook_properties(path, detection.type))
        workbook = self._open(path)
        try:
            self._sheets(workbook, sink)
        finally:
            workbook.close()
        if detection.type in ("xlsx", "xlsb"):
            embedded(path, sink)

    def _open(self, path: Path) -> pc.CalamineWorkbook:
        try:
            return pc.CalamineWorkbook.from_path(str(path))
        except pc.PasswordError as exc:
            raise EncryptedError("password-protected workbook") from exc
        except pc.CalamineError as exc:
            if xls_encrypted(path):
                raise EncryptedError("password-protected workbook (BIFF FILEPASS record)") from exc
            raise ExtractError(Code.CORRUPT, f"unreadable workbook: {exc}") from exc
        except BaseException as exc:
            if _is_panic(exc):
                raise ExtractError(
                    Code.CORRUPT, f"unreadable workbook (parser panic: {exc})"
                ) from exc
            raise

    def _sheets(self, workbook: pc.CalamineWorkbook, sink: Sink) -> None:
        names = list(workbook.sheet_names)
        sink.meta("sheets", names)
        hidden = [
            m.name for m in workbook.sheets_metadata if m.visible != pc.SheetVisibleEnum.Visible
        ]
        sink.meta("hidden_sheets", hidden)  # a hidden sheet is worth an analyst's look
        counts: dict[str, int] = {}
        for name in names:
            if sink.text_chars >= sink.limits.max_text:
                sink.warn(Code.TOO_LARGE, f"text limit reached before sheet {name!r}")
                break
            try:
                counts[name] = self._sheet(workbook, name, sink)
            except (pc.CalamineError, ValueError) as exc:
                sink.warn(Code.PAGE_ERROR, f"sheet {name!r} unreadable: {exc}")
            except BaseException as exc:
                if not _is_panic(exc):
                    raise
                sink.warn(Code.PAGE_ERROR, f"sheet {name!r} unreadable (parser panic: {exc})")
        sink.meta("rows", counts)

    def _sheet(self, workbook: pc.CalamineWorkbook, name: str, sink: Sink) -> int:
        sheet = workbook.get_sheet_by_name(name)
        count = 0
        # iter_rows starts at row 1 even when the used range starts lower (leading
        # columns are cropped, leading rows are not), so the offset is the row number.
        # tests/extract/tabular pins this, should calamine change it.
        for offset, cells in enumerate(sheet.iter_rows()):
            text = row_text(cells)
            if not text:
                continue
            count += 1
            sink.text(text, sheet=name, row=offset + 1)
            if sink.text_chars >= sink.limits.max_text:
                break  # the sink records the cut; reading on would only burn time
        return count
