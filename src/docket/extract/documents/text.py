"""Plain text: detect the encoding from the head, then decode the file in chunks."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from docket.extract.base import Extractor
from docket.extract.documents._common import BLOCK
from docket.extract.encoding import bom_encoding, guess_encoding
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code

HEAD = 256 * 1024  # bytes read to guess the encoding
CHUNK = 1024 * 1024  # bytes decoded at a time: memory stays flat on huge files


def decoded_chunks(path: Path, codec: str, skip: int = 0) -> Iterator[str]:
    """Decode the file at ``path`` incrementally, a chunk at a time."""
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    with open(path, "rb") as f:
        f.seek(skip)
        while chunk := f.read(CHUNK):
            yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)


def line_blocks(chunks: Iterator[str]) -> Iterator[tuple[int, int, str]]:
    """Group decoded text into blocks of whole lines: (first line, last line, text)."""
    pending = ""
    first = 1
    for chunk in chunks:
        pending += chunk
        while len(pending) >= BLOCK:
            cut = pending.rfind("\n", 0, BLOCK)
            cut = BLOCK if cut < 0 else cut + 1  # one enormous line is cut where it must be
            block, pending = pending[:cut], pending[cut:]
            lines = block.count("\n")
            yield first, first + max(lines - 1, 0), block
            first += lines
    if pending:
        yield first, first + pending.rstrip("\n").count("\n"), pending


TEXT = FileType(
    "text",
    "text/plain",
    "text",
    ("txt", "text", "log", "md", "ini", "cfg"),
    sniff=lambda probe: probe.text is not None,  # the fallback for text
    order=90,
)


class TextExtractor(Extractor):
    name = "text"
    file_types = (TEXT,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            head = f.read(HEAD)
            complete = not f.read(1)
        codec = guess_encoding(head, complete=complete)
        bom = bom_encoding(head)
        skip = bom[1] if bom and codec != "utf-8-sig" else 0
        sink.meta("encoding", codec.removesuffix("-sig"))
        if bom:
            sink.meta("bom", True)
        bad = 0
        for first, last, block in line_blocks(decoded_chunks(path, codec, skip)):
            bad += block.count("\ufffd")
            sink.text(block.replace("\r\n", "\n"), part=f"lines {first}-{last}")
        if bad:
            sink.warn(Code.DECODE, f"{bad} characters could not be decoded as {codec}")
