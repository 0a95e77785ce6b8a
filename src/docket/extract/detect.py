"""Content-based type detection: magic bytes first, then a look inside containers (zip,
OLE) and a sniff of text. The extension is only a tie-breaker between text formats; a
mismatch between content and extension is recorded as a signal."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docket.extract.disk.signature import ewf_segment, sniff_disk

HEAD = 64 * 1024

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (0, b"{\\rtf", "rtf"),
    (0, b"!BDN", "pst"),
    (0, b"\x1f\x8b", "gzip"),
    (0, b"BZh", "bzip2"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"Rar!\x1a\x07", "rar"),
    (0, b"EVF\x09\x0d\x0a\xff\x00", "ewf"),
    (0, b"EVF2\r\n\x81\x00", "ewf"),
    (0, b"LVF\x09\x0d\x0a\xff\x00", "ewf"),
    (0, b"SQLite format 3\x00", "sqlite"),
    (0, b"\x7fELF", "executable"),
    (0, b"MZ", "executable"),
    (0, b"OggS", "audio"),
    (0, b"ID3", "audio"),
    (0, b"fLaC", "audio"),
    (0, b"#!AMR", "audio"),
    (257, b"ustar", "tar"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# An mbox envelope line: "From sender Mon Jun  1 10:00:00 2009" (asctime after the sender).
_MBOX_FROM = re.compile(r"From \S+\s+[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d{1,2}:\d{2}")
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,40}):[ \t]", re.M)
_MAIL_KEYS = {
    b"from",
    b"to",
    b"subject",
    b"date",
    b"received",
    b"message-id",
    b"mime-version",
    b"return-path",
    b"cc",
    b"reply-to",
    b"x-mailer",
    b"delivered-to",
    b"content-type",
}


@dataclass(slots=True)
class Detection:
    type: str
    notes: dict[str, Any] = field(default_factory=dict)


def detect(path: Path, extension: str = "") -> Detection:
    """The type of the file at ``path``, judged by its content."""
    ext = extension.lower().lstrip(".")
    with open(path, "rb") as f:
        head = f.read(HEAD)
        if not head:
            return Detection("empty")
        if len(head) == HEAD:
            f.seek(0x8001)
            iso = f.read(5)
        else:
            iso = head[0x8001:0x8006]
    if iso == b"CD001":
        return Detection("iso")
    if b"%PDF-" in head[:1024]:
        return Detection("pdf")
    if head.startswith(_ZIP):
        return Detection(_zip_kind(path, ext))
    if head.startswith(_OLE):
        return _ole_kind(path, ext)
    for offset, magic, key in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if key == "ewf":  # a later segment of a split set is read with the first
                return Detection(key, {"segment": ewf_segment(head)})
            return Detection(key)
    if head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF":
        return Detection("metafile")
    if head[:4] == b"\xd7\xcd\xc6\x9a" or head[:6] in (
        b"\x01\x00\x09\x00\x00\x03",
        b"\x02\x00\x09\x00\x00\x03",
    ):
        return Detection("metafile")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detection("webp")
    if head[:4] == b"RIFF" and head[8:12] in (b"WAVE", b"AVI "):
        return Detection("audio" if head[8:12] == b"WAVE" else "video")
    if head[4:8] == b"ftyp":
        return Detection("video")
    if head[:2] == b"BM" and len(head) > 26 and head[6:10] == b"\x00\x00\x00\x00":
        return Detection("bmp")
    disk = sniff_disk(head)  # partition table or bare file system (raw/dd images)
    if disk is not None:
        return Detection("disk", disk)
    return _sniff_text(head, ext)


def _zip_kind(path: Path, ext: str) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "mimetype" in names:
                mime = z.read("mimetype")[:100].decode("ascii", "replace").strip()
                for key, marker in (
                    ("odt", "opendocument.text"),
                    ("ods", "opendocument.spreadsheet"),
                    ("odp", "opendocument.presentation"),
                    ("epub", "epub+zip"),
                ):
                    if marker in mime:
                        return key
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return "zip"
    name_set = set(names)
    if "[Content_Types].xml" in name_set or any(n.startswith("_rels/") for n in names):
        if any(n.startswith("word/") for n in names):
            return "docx"
        if "xl/workbook.bin" in name_set:
            return "xlsb"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    return "zip"


def _ole_kind(path: Path, ext: str) -> Detection:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
    except Exception:  # olefile raises many types on damaged files
        return Detection("ole", {"damaged": True})
    top = {s.split("/")[0] for s in streams}
    # OLE names are case-insensitive: some writers store "ENCRYPTEDPACKAGE".
    if "encryptedpackage" in {t.lower() for t in top}:
        # An encrypted OOXML package hides which kind it is; the extension is all we have.
        family = {"docx": "docx", "docm": "docx", "xlsx": "xlsx", "xlsm": "xlsx"}
        family |= {"pptx": "pptx", "pptm": "pptx"}
        return Detection(family.get(ext, "ole"), {"encrypted": True})
    if "WordDocument" in top:
        return Detection("doc")
    if "Workbook" in top or "Book" in top:
        return Detection("xls")
    if "PowerPoint Document" in top:
        return Detection("ppt")
    if any(s.startswith("__substg1.0_") or s == "__properties_version1.0" for s in top):
        return Detection("msg")
    return Detection("ole")


def _utf16_without_bom(sample: bytes) -> str | None:
    """The codec when ``sample`` reads as UTF-16 text with no BOM, else None.

    In UTF-16 text the high byte of each code unit takes very few values: 0x00 for Latin,
    0x06 for Arabic, 0x04 for Cyrillic. Binary data spreads them out.
    """
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if len(high) < 8:
            continue
        counts: dict[int, int] = {}
        for b in high:
            counts[b] = counts.get(b, 0) + 1
        top = sorted(counts.values(), reverse=True)[:2]
        if sum(top) < 0.9 * len(high) or low.count(0) > len(low) // 10:
            continue
        text = sample[: len(sample) // 2 * 2].decode(codec, errors="replace")
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
        if printable > 0.95 * len(text):
            return codec
    return None


def _decode_head(head: bytes) -> str | None:
    """Decode the head of a file if it looks like text; None if it looks binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    sample = head[:4096]
    if b"\x00" in sample:
        codec = _utf16_without_bom(sample)
        return head[: len(head) // 2 * 2].decode(codec, errors="replace") if codec else None
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls > len(sample) // 20:
        return None
    return head.decode("utf-8", errors="replace")


def _sniff_text(head: bytes, ext: str) -> Detection:
    text = _decode_head(head)
    if text is None:
        return Detection("binary")
    stripped = text.lstrip("\ufeff \t\r\n")
    lower = stripped[:2048].lower()
    if lower.startswith("<?xml") or lower.startswith("<!doctype") or lower.startswith("<"):
        if "<html" in lower or "<!doctype html" in lower or "<body" in lower:
            return Detection("html")
        if lower.startswith("<?xml") or re.match(r"<[a-z_][\w:.-]*[\s>/]", lower):
            return Detection("xml")
        return Detection("html" if ext in ("html", "htm") else "text")
    if stripped[:1] in ("{", "[") and _looks_like_json(stripped, len(head) < HEAD):
        return Detection("json")
    if lower.startswith("begin:vcalendar"):
        return Detection("ics")
    if stripped.startswith("From ") and (
        _HEADER_LINE.search(head[:4096]) or _MBOX_FROM.match(stripped)
    ):
        return Detection("mbox")
    if _looks_like_mail(head):
        return Detection("eml")
    if ext in ("csv", "tsv", "tab") or _looks_like_table(stripped):
        return Detection("csv")
    return Detection("text")


def _looks_like_json(text: str, complete: bool) -> bool:
    if complete:
        try:
            # raw_decode accepts a first value followed by more: JSON Lines and
            # concatenated documents count as JSON too.
            json.JSONDecoder().raw_decode(text)
            return True
        except ValueError:
            return all(_json_line(line) for line in text.splitlines()[:5] if line.strip())
    return bool(re.match(r'[\[{]\s*("|\{|\[|\d|-|true|false|null|\]|\})', text))


def _json_line(line: str) -> bool:
    try:
        json.loads(line)
        return True
    except ValueError:
        return False


def _looks_like_mail(head: bytes) -> bool:
    block = head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0][:8192]
    keys = {m.group(1).lower() for m in _HEADER_LINE.finditer(block)}
    return len(keys & _MAIL_KEYS) >= 3 and (b"from" in keys or b"received" in keys)


def _looks_like_table(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 3:
        return False
    for delim in (",", "\t", ";", "|"):
        counts = [line.count(delim) for line in lines[:-1]]  # last line may be cut
        if counts and min(counts) >= 1 and max(counts) == min(counts):
            return True
    return False
