"""mbox mail stores: each message becomes a child ``message-N.eml``, streamed.

A mailbox can be many gigabytes, so it is split line by line and each message is
streamed into the blob store as it is read; no message, let alone the mailbox, is held
whole in memory. A separator is a "From " line at the start of the file or after a blank
line (the mboxo/mboxrd convention); body lines quoted as ">From " are unquoted once
(mboxrd), which restores the message as it was sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.email.eml import HEADER_LINE
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

CHUNK = 256 * 1024
_QUOTED_FROM = re.compile(rb"^>+From ")


def is_blank(line: bytes) -> bool:
    return line in (b"\n", b"\r\n")


class _Splitter:
    """Reads an mbox one message at a time; ``body()`` yields the current one's bytes."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.envelope: bytes | None = None
        line = f.readline()
        while line and is_blank(line):
            line = f.readline()  # tolerate blank lines before the first separator
        if line.startswith(b"From "):
            self.envelope = line

    def body(self) -> Iterator[bytes]:
        buf = bytearray()
        held: bytes | None = None  # a blank line that may be the separator's
        self.envelope = None
        for line in iter(self.f.readline, b""):
            if line.startswith(b"From ") and held is not None:
                self.envelope = line
                break
            if held is not None:
                buf += held
                held = None
            if is_blank(line):
                held = line
                continue
            if _QUOTED_FROM.match(line):
                line = line[1:]
            buf += line
            if len(buf) >= CHUNK:
                yield bytes(buf)
                buf.clear()
        if buf:
            yield bytes(buf)


# An mbox envelope line: "From sender Mon Jun  1 10:00:00 2009" (asctime after the sender).
_MBOX_FROM = re.compile(r"From \S+\s+[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d{1,2}:\d{2}")


def _sniff(probe: Probe) -> bool:
    if probe.text is None or probe.markup or not probe.stripped.startswith("From "):
        return False
    return bool(HEADER_LINE.search(probe.head[:4096]) or _MBOX_FROM.match(probe.stripped))


MBOX = FileType(
    "mbox",
    "application/mbox",
    "email",
    ("mbox", "mbx", "mbs"),
    sniff=_sniff,
    order=44,
)


class MboxExtractor(Extractor):
    name = "mbox"
    file_types = (MBOX,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        count = 0
        with open(path, "rb") as f:
            split = _Splitter(f)
            if split.envelope is None:
                raise ExtractError(Code.CORRUPT, "no 'From ' separator line: not an mbox")
            while split.envelope is not None:
                count += 1
                envelope = split.envelope.decode("utf-8", "replace").strip()
                meta = {"envelope": envelope, "index": count}
                sink.child(f"message-{count}.eml", split.body(), meta=meta)
        sink.meta("messages", count)
