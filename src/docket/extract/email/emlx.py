"""Apple Mail messages (``.emlx``, ``.partial.emlx``): a line giving the message's length
in bytes, the RFC 822 message itself (read like any ``.eml``), then an XML property list
with what Mail knew of it — when it arrived, its flags (read, answered, flagged…), the
mailbox it came from.

The property list is parsed with ``plistlib``, which refuses entity declarations. A
``.partial.emlx`` holds the message without the attachments Mail kept apart; it is read
for what it holds.
"""

from __future__ import annotations

import plistlib
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.email.eml import HEADER_LINE, MAX_EML, read_message
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

_LENGTH = re.compile(rb"\A[ \t]*(\d{1,12})[ \t]*\r?\n")
MAX_PLIST = 1024 * 1024
# Bits of Mail's "flags" integer (Apple's emlx format notes): what an investigator asks.
FLAGS = {
    0: "read",
    1: "deleted",
    2: "answered",
    3: "encrypted",
    4: "flagged",
    6: "draft",
    8: "forwarded",
    9: "redirected",
    23: "signed",
    24: "junk",
}


def _sniff(probe: Probe) -> bool:
    found = _LENGTH.match(probe.head)
    if not found:
        return False
    block = probe.head[found.end() :].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0][:8192]
    return len(HEADER_LINE.findall(block)) >= 2


EMLX = FileType(
    "emlx",
    "message/x-emlx",
    "email",
    ("emlx",),
    sniff=_sniff,
    order=44,
)


class EmlxExtractor(Extractor):
    name = "emlx"
    file_types = (EMLX,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            first = f.readline(64)
            found = _LENGTH.match(first)
            if not found:
                raise ExtractError(Code.CORRUPT, "no message length on the first line")
            length = int(found.group(1))
            if length > MAX_EML:
                raise ExtractError(
                    Code.TOO_LARGE, f"message over {MAX_EML} bytes", status="skipped"
                )
            data = f.read(length)
            rest = f.read(MAX_PLIST)
        if not data.strip():
            raise ExtractError(Code.CORRUPT, "the message is empty")
        read_message(data, sink)
        if len(data) < length:
            sink.warn(
                Code.TRUNCATED,
                f"the file ends after {len(data)} of the message's {length} bytes",
            )
            return
        _properties(rest, sink)


def _properties(raw: bytes, sink: Sink) -> None:
    """Mail's own record of the message (the property list after it), when there is one."""
    start = raw.find(b"<?xml")
    if start < 0:
        start = raw.find(b"<plist")
    if start < 0:
        return
    try:
        plist = plistlib.loads(raw[start:], fmt=plistlib.FMT_XML)
    except Exception as exc:  # damaged or hostile: the message itself was read
        sink.warn(Code.CORRUPT, f"Apple Mail properties unreadable: {exc}")
        return
    if not isinstance(plist, dict):
        return
    received = _time(plist.get("date-received"))
    sink.meta("date_received", received)
    sink.meta("date_last_viewed", _time(plist.get("date-last-viewed")))
    flags = plist.get("flags")
    if isinstance(flags, int):
        sink.meta("mail_flags", [name for bit, name in FLAGS.items() if flags >> bit & 1])
    for key in ("original-mailbox", "remote-id", "conversation-id"):
        value = plist.get(key)
        if isinstance(value, str | int):
            sink.meta(key.replace("-", "_"), str(value))


def _time(value: Any) -> str | None:
    """Mail stores times as seconds since 1970 (an integer or a real)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=value.tzinfo or UTC).isoformat()
    if isinstance(value, int | float) and 0 < value < 1e11:
        return datetime.fromtimestamp(value, UTC).isoformat()
    return None
