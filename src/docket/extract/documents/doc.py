"""Legacy Word (97-2003 .doc) in pure Python: FIB, piece table, text, metadata, objects.

Word 97+ keeps its text as pieces listed in the CLX of the table stream: each piece is
either "compressed" (one cp1252 byte per character) or UTF-16LE. Field codes sit between
0x13 and 0x14 and are dropped; the field result (0x14 .. 0x15) is kept. Word 6/95 files
are read when they are not "complex" (fast-saved): their text is one run of 8-bit bytes.
"""

from __future__ import annotations

import struct
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.containers import ole_storage
from docket.extract.documents._common import emit_blocks
from docket.extract.olefiles import object_pool_children, open_ole, refuse_rights_managed
from docket.extract.properties import write_ole
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError

_WORD97_IDENT = 0xA5EC
_WORD6_IDENT = 0xA5DC
F_COMPLEX, F_ENCRYPTED, F_WHICH_TABLE, F_OBFUSCATED = 0x0004, 0x0100, 0x0200, 0x8000
# Story lengths in FibRgLw97, in the order the stories follow each other in CP space.
_STORIES = (
    (3, "body"),
    (4, "footnotes"),
    (5, "header"),
    (7, "comments"),
    (8, "endnotes"),
    (9, "textboxes"),
    (10, "header-textboxes"),
)
_CONTROL = {0x07: "\t", 0x0B: "\n", 0x0C: "\n", 0x0D: "\n", 0x1E: "-", 0xA0: " "}
_DROP = {0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x1F}


def clean(text: str) -> str:
    """Drop field codes and Word's control characters; keep field results."""
    out: list[str] = []
    depth = 0  # nesting of fields whose code part we are inside
    stack: list[bool] = []  # per open field: still in its code part?
    for ch in text:
        code = ord(ch)
        if code == 0x13:
            stack.append(True)
            depth += 1
        elif code == 0x14 and stack:
            if stack[-1]:
                stack[-1] = False
                depth -= 1
        elif code == 0x15 and stack:
            if stack.pop():
                depth -= 1
        elif depth:
            continue
        elif code in _CONTROL:
            out.append(_CONTROL[code])
        elif code in _DROP:
            continue
        else:
            out.append(ch)
    return "".join(out)


def pieces(table: bytes, fc_clx: int, lcb_clx: int) -> list[tuple[int, int, int, bool]]:
    """The piece table: (cp start, cp end, byte offset, compressed) per piece."""
    clx = table[fc_clx : fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc entries (formatting) come first
        (size,) = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + size
    if pos >= len(clx) or clx[pos] != 0x02:
        raise ExtractError(Code.CORRUPT, "Word piece table not found")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for i in range(n):
        (fc,) = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)
        compressed = bool(fc & 0x40000000)
        offset = (fc & 0x3FFFFFFF) // 2 if compressed else fc
        out.append((cps[i], cps[i + 1], offset, compressed))
    return out


def text_from_pieces(word: bytes, plist: list[tuple[int, int, int, bool]]) -> tuple[str, bool]:
    """All CP-space text, and whether some piece ran past the end of the stream."""
    parts: list[str] = []
    short = False
    for start, end, offset, compressed in plist:
        count = max(0, end - start)
        size = count if compressed else count * 2
        chunk = word[offset : offset + size]
        short |= len(chunk) < size
        parts.append(chunk.decode("cp1252" if compressed else "utf-16-le", errors="replace"))
    return "".join(parts), short


DOC = FileType(
    "doc",
    "application/msword",
    "document",
    ("doc", "dot", "wps"),
    container="ole",
    sniff=ole_storage("WordDocument"),
    order=10,
)


class DocExtractor(Extractor):
    name = "doc"
    file_types = (DOC,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        ole = open_ole(path)
        with ole:
            refuse_rights_managed(ole)
            write_ole(ole, sink)
            word = ole.openstream("WordDocument").read()
            if len(word) < 32:
                raise ExtractError(Code.TRUNCATED, "WordDocument stream too short for a FIB")
            ident, nfib = struct.unpack_from("<HH", word, 0)
            (flags,) = struct.unpack_from("<H", word, 0x0A)
            if flags & (F_ENCRYPTED | F_OBFUSCATED):
                raise EncryptedError("Word document is password-protected")
            if ident == _WORD6_IDENT or (nfib < 0x00C1 and ident != _WORD97_IDENT):
                try:
                    self._word6(word, flags, sink)
                except struct.error as exc:
                    raise ExtractError(Code.CORRUPT, f"Word 6/95 header damaged: {exc}") from exc
            elif ident == _WORD97_IDENT:
                table_name = "1Table" if flags & F_WHICH_TABLE else "0Table"
                if not ole.exists(table_name):
                    raise ExtractError(Code.CORRUPT, f"{table_name} stream missing")
                try:
                    self._word97(word, ole.openstream(table_name).read(), sink)
                except struct.error as exc:
                    raise ExtractError(
                        Code.CORRUPT, f"Word FIB or piece table damaged: {exc}"
                    ) from exc
            else:
                raise ExtractError(
                    Code.UNSUPPORTED,
                    f"not a Word 6-2003 file (ident {ident:#x})",
                    status="unsupported",
                )
            object_pool_children(ole, sink)

    def _word97(self, word: bytes, table: bytes, sink: Sink) -> None:
        sink.meta("format", "Word 97-2003")
        pos = 32
        (csw,) = struct.unpack_from("<H", word, pos)
        pos += 2 + csw * 2
        (cslw,) = struct.unpack_from("<H", word, pos)
        lw = struct.unpack_from(f"<{cslw}i", word, pos + 2)
        pos += 2 + cslw * 4 + 2  # then cbRgFcLcb, then the fc/lcb pairs
        fc_clx, lcb_clx = struct.unpack_from("<II", word, pos + 33 * 8)
        text, short = text_from_pieces(word, pieces(table, fc_clx, lcb_clx))
        cp = 0
        for index, part in _STORIES:
            length = lw[index] if index < len(lw) else 0
            if length > 0:
                emit_blocks(sink, clean(text[cp : cp + length]).splitlines(), part=part)
                cp += length
        if short:
            sink.warn(Code.TRUNCATED, "some text lies past the end of the WordDocument stream")

    def _word6(self, word: bytes, flags: int, sink: Sink) -> None:
        """Word 6/95: the text is bytes fcMin..fcMac unless the file was fast-saved."""
        sink.meta("format", "Word 6/95")
        if flags & F_COMPLEX:
            raise ExtractError(
                Code.UNSUPPORTED,
                "fast-saved Word 6/95 document: text not read",
                status="unsupported",
            )
        fc_min, fc_mac = struct.unpack_from("<II", word, 0x18)
        (ccp_text,) = struct.unpack_from("<i", word, 0x34)
        raw = word[fc_min:fc_mac]
        text = raw.decode("cp1252", errors="replace")
        emit_blocks(
            sink, clean(text[: ccp_text if ccp_text > 0 else None]).splitlines(), part="body"
        )
        if ccp_text > 0 and ccp_text < len(text):
            emit_blocks(sink, clean(text[ccp_text:]).splitlines(), part="other")
