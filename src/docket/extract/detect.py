"""Content-based type detection, built from the types every extractor declares
(:class:`~docket.extract.types.FileType`): magic bytes and sniffing functions tried in
their declared order, a look inside containers (zip, OLE) for the kind they hold, then
text. The extension is only a tie-breaker between text formats; a mismatch between
content and extension is recorded as a signal."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from docket.extract.types import FileType
from docket.model.detection import Detection

HEAD = 64 * 1024
_TAG = re.compile(r"<[a-z_][\w:.-]*[\s>/]")


@dataclass
class Probe:
    """What a sniffing function sees: the head of the file, its path and extension and,
    for a kind inside a container, the container's member names."""

    path: Path
    ext: str
    head: bytes
    members: frozenset[str] = frozenset()  # zip: member names; OLE: top-level entries
    mimetype: str = ""  # zip: the ODF/EPUB "mimetype" member, if any

    @property
    def complete(self) -> bool:
        """Whether ``head`` is the whole file."""
        return len(self.head) < HEAD

    @cached_property
    def text(self) -> str | None:
        """The head decoded as text; None if it looks binary."""
        return _decode_head(self.head)

    @cached_property
    def stripped(self) -> str:
        return (self.text or "").lstrip("\ufeff \t\r\n")

    @cached_property
    def lower(self) -> str:
        """The first 2,048 characters of the stripped text, lower-cased."""
        return self.stripped[:2048].lower()

    @property
    def markup(self) -> bool:
        """Text that opens with a tag: HTML, XML, or text that only looks like them."""
        return self.lower.startswith("<")


def looks_like_html(probe: Probe) -> bool:
    lower = probe.lower
    return probe.markup and ("<html" in lower or "<!doctype html" in lower or "<body" in lower)


def looks_like_xml(probe: Probe) -> bool:
    lower = probe.lower
    return lower.startswith("<?xml") or bool(_TAG.match(lower))


def detect(
    path: Path, extension: str = "", types: Mapping[str, FileType] | None = None
) -> Detection:
    """The type of the file at ``path``, judged by its content.

    ``types`` defaults to every type the registry knows (built-ins and plugins).
    """
    if types is None:
        from docket.extract.registry import default

        types = default().types
    ext = extension.lower().lstrip(".")
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head:
        return Detection("empty")
    probe = Probe(path, ext, head)
    top = sorted(
        (t for t in types.values() if not t.container and (t.magic or t.sniff)),
        key=lambda t: t.order,  # sorted() is stable: declaration order breaks ties
    )
    for ftype in top:
        found = _match(ftype, probe)
        if found is None:
            continue
        if ftype.inside is not None:
            kinds = tuple(
                sorted(
                    (t for t in types.values() if t.container == ftype.key and t.sniff),
                    key=lambda t: t.order,
                )
            )
            return ftype.inside(probe, kinds)
        return found
    return Detection("binary")


def _match(ftype: FileType, probe: Probe) -> Detection | None:
    head = probe.head
    for offset, magic in ftype.magic:
        if head[offset : offset + len(magic)] == magic:
            return Detection(ftype.key)
    if ftype.sniff is not None:
        return as_detection(ftype, ftype.sniff(probe))
    return None


def as_detection(ftype: FileType, found: Detection | bool | None) -> Detection | None:
    if isinstance(found, Detection):
        return found
    return Detection(ftype.key) if found else None


def first_kind(
    probe: Probe, kinds: tuple[FileType, ...], members: frozenset[str], **more: Any
) -> Detection | None:
    """The first of a container's declared kinds whose sniff accepts its members."""
    inner = replace(probe, members=members, **more)
    for kind in kinds:
        assert kind.sniff is not None
        found = as_detection(kind, kind.sniff(inner))
        if found is not None:
            return found
    return None


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


def zip_members(path: Path) -> tuple[frozenset[str], str] | None:
    """A zip's member names and its "mimetype" member (ODF, EPUB); None if unreadable."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            mime = ""
            if "mimetype" in names:
                mime = z.read("mimetype")[:100].decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return None
    return frozenset(names), mime
