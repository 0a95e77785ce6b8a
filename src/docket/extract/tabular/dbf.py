"""dBase, FoxPro and Visual FoxPro tables (``.dbf``): one segment per record, streamed.

The format is a 32-byte header (version, last update, record count, header and record
lengths, the code page's "language driver" byte), 32-byte field descriptors ended by
0x0D, then fixed-width records, each opened by a flag: ``*`` for a deleted record, which
dBase keeps until the table is packed. Deleted records are evidence: they are read too,
as segments of part ``deleted``. Row 1 is the field names, as in a CSV; records follow
from row 2. Memo fields (``M``, ``G``) point into a separate ``.dbt``/``.fpt`` file that
is not part of the table; their block numbers are shown as ``[memo N]``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.encoding import guess_encoding
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

SEP = " | "
# Version bytes: dBase II-V, FoxBase, FoxPro and Visual FoxPro, with and without memos.
VERSIONS = frozenset(
    {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB}
)
TYPES = frozenset(b"CNFDLMIYTB@+OVGPQW0")
_VFP = frozenset({0x30, 0x31, 0x32})  # Visual FoxPro: a 263-byte backlink after the fields
# Language driver byte -> code page (dBase IV / Visual FoxPro tables).
CODEPAGES = {
    0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x04: "mac_roman", 0x57: "cp1252",
    0x58: "cp1252", 0x59: "cp1252", 0x64: "cp852", 0x65: "cp866", 0x66: "cp865",
    0x67: "cp861", 0x6A: "cp737", 0x6B: "cp857", 0x26: "cp866", 0x13: "cp932",
    0x4D: "cp936", 0x4E: "cp949", 0x4F: "cp950", 0x50: "cp874", 0x78: "cp950",
    0x79: "cp949", 0x7A: "cp936", 0x7B: "cp932", 0x7C: "cp874", 0x7D: "cp1255",
    0x7E: "cp1256", 0xC8: "cp1250", 0xC9: "cp1251", 0xCA: "cp1254", 0xCB: "cp1253",
}  # fmt: skip
CHUNK = 1024  # records read at a time


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str
    offset: int
    length: int
    decimals: int


@dataclass(frozen=True, slots=True)
class Header:
    version: int
    updated: str | None
    records: int
    header_len: int
    record_len: int
    codepage: str | None
    fields: tuple[Field, ...]


def _sniff(probe: Probe) -> bool:
    head = probe.head
    if len(head) < 44 or head[0] not in VERSIONS:
        return False
    month, day = head[2], head[3]
    header_len, record_len = struct.unpack_from("<HH", head, 8)
    if not (1 <= month <= 12 and 1 <= day <= 31) or header_len < 65 or record_len < 2:
        return False
    # The first field descriptor: a name starting with a letter, a known type.
    return chr(head[32]).isalpha() and head[43] in TYPES


DBF = FileType(
    "dbf",
    "application/x-dbf",
    "spreadsheet",
    ("dbf",),
    sniff=_sniff,
    order=30,
)


def read_header(data: bytes) -> Header:
    """The table's header and fields; ``ExtractError`` (corrupt) when they do not add up."""
    if len(data) < 33:
        raise ExtractError(Code.CORRUPT, "dBase header cut short")
    version = data[0]
    records, header_len, record_len = struct.unpack_from("<IHH", data, 4)
    raw_fields: list[tuple[str, str, int, int]] = []
    pos = 32
    while pos < min(header_len, len(data)) and data[pos] != 0x0D:
        raw = data[pos : pos + 32]
        if len(raw) < 32:
            raise ExtractError(Code.CORRUPT, "field descriptors cut short")
        name = raw[:11].split(b"\x00", 1)[0].decode("latin-1").strip()
        if raw[11] not in TYPES or not name:
            raise ExtractError(Code.CORRUPT, f"field {len(raw_fields) + 1} is not a dBase field")
        raw_fields.append((name, chr(raw[11]), raw[16], raw[17]))
        pos += 32
    if not raw_fields:
        raise ExtractError(Code.CORRUPT, "no fields declared")
    if pos >= len(data) or data[pos] != 0x0D:
        raise ExtractError(Code.CORRUPT, "field list not terminated")
    fields = _layout(raw_fields, record_len)
    updated = None
    try:
        updated = date(1900 + data[1], data[2], data[3]).isoformat()
    except ValueError:
        pass
    return Header(
        version,
        updated,
        records,
        header_len,
        record_len,
        CODEPAGES.get(data[29]),
        fields,
    )


def _layout(raw: list[tuple[str, str, int, int]], record_len: int) -> tuple[Field, ...]:
    """Each field's place in a record. FoxPro and Clipper store a character field over
    255 bytes with its high byte in the decimals; the record length says which applies."""
    for wide in (False, True):
        fields, offset = [], 1  # the deletion flag comes first
        for name, kind, length, decimals in raw:
            size = length + (decimals << 8 if wide and kind == "C" else 0)
            fields.append(Field(name, kind, offset, size, decimals))
            offset += size
        if offset == record_len:
            return tuple(fields)
    raise ExtractError(
        Code.CORRUPT, f"the fields do not add up to the record length ({record_len} bytes)"
    )


class DbfExtractor(Extractor):
    name = "dbf"
    file_types = (DBF,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            head = f.read(32 + 32 * 256 + 264)
            table = read_header(head)
            f.seek(table.header_len)
            sample = f.read(min(64 * 1024, table.record_len * table.records))
            codec = table.codepage or _guess(sample, table)
            sink.meta("version", f"0x{table.version:02x}")
            sink.meta("modified", table.updated)
            sink.meta("encoding", codec)
            sink.meta(
                "fields",
                [{"name": x.name, "type": x.kind, "length": x.length} for x in table.fields],
            )
            sink.meta("header", [x.name for x in table.fields])
            sink.text(SEP.join(x.name for x in table.fields), row=1)
            if any(x.kind in "MG" for x in table.fields):
                sink.meta("memo_file", "memo fields point into a separate .dbt/.fpt file")
            f.seek(table.header_len)
            rows, deleted = self._records(f, table, codec, sink)
        sink.meta("rows", rows)
        sink.meta("deleted_rows", deleted)
        sink.meta("columns", len(table.fields))

    def _records(self, f: object, table: Header, codec: str, sink: Sink) -> tuple[int, int]:
        read = 0
        deleted = 0
        while read < table.records:
            want = min(CHUNK, table.records - read)
            block = f.read(want * table.record_len)  # type: ignore[attr-defined]
            got = len(block) // table.record_len
            for i in range(got):
                record = block[i * table.record_len : (i + 1) * table.record_len]
                flag = record[:1]
                text = SEP.join(_value(record, x, codec) for x in table.fields).rstrip(" |")
                if flag == b"*":
                    deleted += 1
                    sink.text(text, row=read + i + 2, part="deleted")
                else:
                    sink.text(text, row=read + i + 2)
            read += got
            if got < want:
                sink.warn(
                    Code.TRUNCATED,
                    f"the table declares {table.records} records; the file holds {read}",
                )
                break
            if sink.text_chars >= sink.limits.max_text:
                break
        return read - deleted, deleted


def _guess(sample: bytes, table: Header) -> str:
    """No code page declared: judge by the character fields' bytes."""
    chars = b" ".join(
        sample[i + x.offset : i + x.offset + x.length]
        for i in range(0, len(sample) - table.record_len + 1, table.record_len)
        for x in table.fields
        if x.kind in "CV"
    )
    codec = guess_encoding(chars) if chars.strip() else "ascii"
    return "cp1252" if codec in ("ascii", "latin-1", "iso-8859-1") else codec


def _value(record: bytes, field: Field, codec: str) -> str:
    raw = record[field.offset : field.offset + field.length]
    kind = field.kind
    try:
        if kind in "CV":
            return raw.decode(codec, "replace").rstrip("\x00 ").strip()
        if kind == "D":
            text = raw.decode("ascii").strip()
            return f"{text[:4]}-{text[4:6]}-{text[6:8]}" if len(text) == 8 else text
        if kind == "L":
            return {"T": "TRUE", "Y": "TRUE", "F": "FALSE", "N": "FALSE"}.get(
                raw.decode("ascii").strip().upper(), ""
            )
        if kind in "NF":
            return raw.decode("ascii").strip()
        if kind in "MGPB" and field.length == 10:
            block = raw.decode("ascii").strip()
            return f"[memo {block}]" if block else ""
        if kind in "MGP" and field.length == 4:
            (block,) = struct.unpack("<I", raw)
            return f"[memo {block}]" if block else ""
        if kind in "I+" and field.length == 4:
            return str(struct.unpack("<i", raw)[0])
        if kind == "Y" and field.length == 8:
            return f"{struct.unpack('<q', raw)[0] / 10000:.4f}"
        if kind in "BO" and field.length == 8:
            return repr(struct.unpack("<d", raw)[0])
        if kind in "T@" and field.length == 8:
            return _datetime(raw)
    except (UnicodeDecodeError, struct.error, ValueError, OverflowError):
        return raw.hex()
    return raw.decode(codec, "replace").strip("\x00 ")


def _datetime(raw: bytes) -> str:
    """Visual FoxPro: a Julian day number and milliseconds since midnight."""
    day, ms = struct.unpack("<ii", raw)
    if day == 0:
        return ""
    when = datetime(1, 1, 1) + timedelta(days=day - 1721426, milliseconds=ms)
    return when.isoformat()
