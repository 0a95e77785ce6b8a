"""Legacy PowerPoint (97-2003 .ppt): text atoms from the "PowerPoint Document" stream.

Records are an 8-byte header (version/instance, type, length); containers (version 0xF)
hold more records. Slide text sits in SlideListWithText (instance 0 = slides, 2 = notes),
one SlidePersistAtom per slide followed by its text atoms. Text boxes that are not
placeholders live inside the Slide containers' drawings and are collected too.
Incremental saves append new copies of records: only the last DocumentContainer's lists
are used for slides, and shape text is de-duplicated.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.containers import ole_storage
from docket.extract.documents._common import emit_blocks
from docket.extract.olefiles import open_ole, refuse_rights_managed
from docket.extract.properties import write_ole
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError

DOCUMENT, SLIDE, NOTES, SLIDE_LIST = 0x03E8, 0x03EE, 0x03F0, 0x0FF0
SLIDE_PERSIST, TEXT_CHARS, TEXT_BYTES = 0x03F3, 0x0FA0, 0x0FA8
CRYPT_SESSION, EX_OLE_STORAGE = 0x2F14, 0x1011
_ENCRYPTED_TOKEN = 0xF3D1C4DF  # CurrentUserAtom headerToken of an encrypted file
MAX_DEPTH = 32


def records(
    data: bytes, start: int, end: int, depth: int = 0
) -> Iterator[tuple[int, int, int, int, int]]:
    """(type, instance, body start, body end, depth) for every record, depth-first."""
    pos = start
    while pos + 8 <= end:
        ver_inst, rtype, length = struct.unpack_from("<HHI", data, pos)
        body, stop = pos + 8, min(pos + 8 + length, end)
        yield rtype, ver_inst >> 4, body, stop, depth
        if ver_inst & 0x0F == 0x0F and depth < MAX_DEPTH:
            yield from records(data, body, stop, depth + 1)
        pos = pos + 8 + length


def atom_text(data: bytes, rtype: int, body: int, stop: int) -> str:
    raw = data[body:stop]
    text = raw.decode("utf-16-le", "replace") if rtype == TEXT_CHARS else raw.decode("latin-1")
    return text.replace("\r", "\n").replace("\x0b", "\n")


PPT = FileType(
    "ppt",
    "application/vnd.ms-powerpoint",
    "presentation",
    ("ppt", "pps", "pot"),
    container="ole",
    sniff=ole_storage("PowerPoint Document"),
    order=12,
)


class PptExtractor(Extractor):
    name = "ppt"
    file_types = (PPT,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        ole = open_ole(path)
        with ole:
            refuse_rights_managed(ole)
            # A copy decrypted by msoffcrypto keeps the EncryptedSummary stream but says
            # in Current User's header token that it is no longer encrypted.
            token = None
            if ole.exists("Current User"):
                head = ole.openstream("Current User").read(16)
                token = struct.unpack_from("<I", head, 12)[0] if len(head) >= 16 else None
            if token == _ENCRYPTED_TOKEN or (token is None and ole.exists("EncryptedSummary")):
                raise EncryptedError("PowerPoint file is password-protected")
            write_ole(ole, sink)
            if not ole.exists("PowerPoint Document"):
                raise ExtractError(Code.CORRUPT, "no PowerPoint Document stream")
            data = ole.openstream("PowerPoint Document").read()
        self._text(data, sink)

    def _text(self, data: bytes, sink: Sink) -> None:
        top = [(t, b, e) for t, _i, b, e, d in records(data, 0, len(data)) if d == 0]
        if any(t == CRYPT_SESSION for t, _b, _e in top):
            raise EncryptedError("PowerPoint file is password-protected")
        documents = [(b, e) for t, b, e in top if t == DOCUMENT]
        slides: dict[int, list[str]] = {}
        notes: dict[int, list[str]] = {}
        seen: set[str] = set()
        count = 0  # every slide, with text or not: the presentation's page count
        if documents:
            doc_start, doc_end = documents[-1]
            current: dict[int, list[str]] | None = None
            number = 0
            for rtype, inst, body, stop, _depth in records(data, doc_start, doc_end):
                if rtype == SLIDE_LIST:
                    current = slides if inst == 0 else notes if inst == 2 else None
                    number = 0
                elif rtype == SLIDE_PERSIST and current is not None:
                    number += 1
                    count += current is slides
                elif rtype in (TEXT_CHARS, TEXT_BYTES) and current is not None and number:
                    text = atom_text(data, rtype, body, stop)
                    current.setdefault(number, []).append(text)
                    seen.add(text)
        for number in sorted(slides):
            emit_blocks(sink, slides[number], page=number, part="slide")
        for number in sorted(notes):
            emit_blocks(sink, notes[number], page=number, part="notes")
        sink.meta("pages", count or len(slides) or sink.metadata.get("pages"))
        shapes: list[str] = []
        for rtype, _inst, body, stop in self._container_text(data, top):
            text = atom_text(data, rtype, body, stop)
            if text.strip() and text not in seen:
                seen.add(text)
                shapes.append(text)
        emit_blocks(sink, shapes, part="shapes")
        self._objects(data, sink)

    def _objects(self, data: bytes, sink: Sink) -> None:
        """Embedded OLE objects (ExOleObjStg), zlib-compressed when the instance is 1."""
        n = 0
        for rtype, inst, body, stop, _d in records(data, 0, len(data)):
            if rtype != EX_OLE_STORAGE:
                continue
            n += 1
            try:
                if inst == 1:
                    (size,) = struct.unpack_from("<I", data, body)
                    room = max(0, min(size, sink.limits.max_expanded - sink.expanded))
                    blob = zlib.decompressobj().decompress(data[body + 4 : stop], room)
                else:
                    blob = data[body:stop]
            except (zlib.error, struct.error) as exc:
                sink.child_error(
                    f"ole-object-{n}", Code.MEMBER_ERROR, f"{type(exc).__name__}: {exc}"
                )
                continue
            sink.child(f"ole-object-{n}.bin", blob, meta={"source": "ole-object"})

    def _container_text(
        self, data: bytes, top: list[tuple[int, int, int]]
    ) -> Iterator[tuple[int, int, int, int]]:
        """Text atoms inside Slide and Notes containers (text boxes, not placeholders)."""
        for rtype, body, stop in top:
            if rtype in (SLIDE, NOTES):
                for t, inst, b, e, _d in records(data, body, stop):
                    if t in (TEXT_CHARS, TEXT_BYTES):
                        yield t, inst, b, e
