"""RFC 822 / MIME messages: headers, the body text, and every attachment as a child.

Parsed with the standard library's ``policy.default`` (``POLICY``), which never raises on a broken
message but may raise when a malformed header is *read*; each header is therefore read
on its own, falling back to its raw value. Attachments with the same name or the same
bytes each become their own child (aleph#3165 lost them).
"""

from __future__ import annotations

import mimetypes
import re
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.email._html import html_to_text
from docket.extract.encoding import decode
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_EML = 512 * 1024 * 1024  # the parser holds a message in memory
HEADER_KEYS = {
    "from": "from",
    "to": "to",
    "cc": "cc",
    "bcc": "bcc",
    "subject": "subject",
    "reply-to": "reply_to",
    "return-path": "return_path",
    "message-id": "message_id",
    "in-reply-to": "in_reply_to",
    "references": "references",
    "x-mailer": "x_mailer",
    "user-agent": "x_mailer",
}
SHOWN = ("From", "To", "Cc", "Bcc", "Date", "Subject")
_SMIME = {"application/pkcs7-mime", "application/x-pkcs7-mime"}


class _Headers(HeaderRegistry):
    """``policy.default``'s header registry, keeping what it parsed: the standard library
    parses a header again each time it is read (a part's Content-Type about twenty times
    an e-mail), which was most of an e-mail's extraction. A parsed header is immutable,
    so messages share one parse of the same text."""

    # What repeats is within a message (and a few values across messages: content
    # types), and a parsed header holds its whole parse tree: few and short ones kept.
    KEEP = 256  # headers kept (cleared when full)
    LONGEST = 512  # characters; a longer value is parsed each time, not kept

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], BaseHeader] = {}

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) > self.LONGEST:
            return super().__call__(name, value)
        key = (name, value)
        got = self.kept.get(key)
        if got is None:
            if len(self.kept) >= self.KEEP:
                self.kept.clear()
            got = self.kept[key] = super().__call__(name, value)
        return got


POLICY = policy.default.clone(header_factory=_Headers())


def header(msg: Message, name: str) -> str | None:
    """A header's decoded value; the raw text when the structured parse fails."""
    try:
        value = msg.get(name)
        return None if value is None else " ".join(str(value).split())
    except Exception:  # policy.default parses lazily and can raise on bad syntax
        for key, raw in msg.raw_items():  # type: ignore[attr-defined]
            if key.lower() == name.lower():
                return _decode_raw(str(raw))
        return None


def _decode_raw(raw: str) -> str:
    try:
        return " ".join(str(make_header(decode_header(raw))).split())
    except Exception:  # an undecodable encoded-word: keep it as written
        return " ".join(raw.split())


def iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def leaves(msg: Message) -> list[Message]:
    """Non-multipart parts in order; an attached message counts as one leaf."""
    if msg.get_content_maintype() == "multipart" and isinstance(msg.get_payload(), list):
        # A multipart payload is a list of Messages; typeshed says Message | str.
        return [leaf for part in msg.get_payload() for leaf in leaves(part)]  # type: ignore[arg-type,union-attr]
    return [msg]


def part_text(part: Message) -> str:
    """A text part decoded: transfer encoding, then its charset (or a guess)."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = str(part.get_payload()).encode("utf-8", "replace")
    text, _ = decode(data, part.get_content_charset())
    return text


def is_attachment(part: Message) -> bool:
    if part.get_content_maintype() == "message":
        return True
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment" or part.get_filename():
        return True
    return part.get_content_type() not in ("text/plain", "text/html")


def read_headers(msg: Message, sink: Sink) -> None:
    for name, key in HEADER_KEYS.items():
        if key not in sink.metadata:
            sink.meta(key, header(msg, name))
    date = header(msg, "date")
    sink.meta("date", iso_date(date) or date)
    received = []
    for key, raw in msg.raw_items():  # type: ignore[attr-defined]
        if key.lower() == "received":
            received.append(" ".join(str(raw).split()))
    sink.meta("received", received)
    block = [f"{name}: {value}" for name in SHOWN if (value := header(msg, name))]
    sink.text("\n".join(block), part="headers")


def body_parts(msg: Message) -> list[Message]:
    """The text/plain and text/html parts that make up the body, in order.

    Every body part of a multipart/mixed (or related, or any other) message counts —
    a message may say one thing in plain text, attach a file, then go on in HTML. Of a
    multipart/alternative only one alternative counts, since each says the same thing:
    the plain text when there is one, else the last (the richest, RFC 2046)."""
    payload = msg.get_payload()
    if msg.get_content_maintype() == "multipart" and isinstance(payload, list):
        # A multipart payload is a list of Messages; typeshed says Message | str.
        children: list[Message] = [p for p in payload if isinstance(p, Message)]
        found = [(part, parts) for part in children if (parts := body_parts(part))]
        if msg.get_content_type() == "multipart/alternative" and found:
            plain = [parts for part, parts in found if part.get_content_type() == "text/plain"]
            return plain[0] if plain else found[-1][1]
        return [leaf for _part, parts in found for leaf in parts]
    if msg.get_content_type() in ("text/plain", "text/html") and not is_attachment(msg):
        return [msg]
    return []


def read_body(msg: Message, sink: Sink) -> None:
    for part in body_parts(msg):
        try:
            text = part_text(part)
        except (LookupError, ValueError, AssertionError) as exc:
            sink.warn(Code.DECODE, f"body part unreadable: {exc}")
            continue
        html = part.get_content_type() == "text/html"
        sink.text(html_to_text(text) if html else text, part="body")


def attachment_bytes(part: Message) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            return inner[0].as_bytes(policy=policy.compat32)  # type: ignore[union-attr]  # a Message
        return str(inner).encode("utf-8", "replace")
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def attachment_name(part: Message, n: int) -> str:
    try:
        name = part.get_filename()
    except Exception:  # a malformed filename parameter
        name = None
    if name:
        return (
            " ".join(str(name).split()).replace("\\", "/").rsplit("/", 1)[-1] or f"attachment-{n}"
        )
    ctype = part.get_content_type()
    ext = ".eml" if ctype == "message/rfc822" else mimetypes.guess_extension(ctype) or ".bin"
    return f"attachment-{n}{ext}"


def read_attachments(parts: list[Message], sink: Sink) -> None:
    n = 0
    for part in parts:
        if not is_attachment(part):
            continue
        n += 1
        name = attachment_name(part, n)
        ctype = part.get_content_type()
        meta: dict[str, Any] = {"content_type": ctype}
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if disposition:
            meta["disposition"] = disposition
        if part.get("Content-ID"):
            meta["content_id"] = str(part.get("Content-ID")).strip("<> ")
        if ctype in _SMIME or name.lower().endswith(".p7m"):
            # An S/MIME envelope: kept whole, noted, never opened without its key.
            sink.meta("smime", "enveloped-or-signed")
        try:
            data = attachment_bytes(part)
        except Exception as exc:  # a part whose transfer encoding cannot be undone
            sink.child_error(name, Code.MEMBER_ERROR, f"attachment unreadable: {exc}", meta=meta)
            continue
        sink.child(name, data, meta=meta)


def read_message(data: bytes, sink: Sink) -> Message:
    """Parse a whole message and write its headers, body and attachments to ``sink``."""
    msg = BytesParser(policy=POLICY).parsebytes(data)
    if not msg.keys() and not msg.get_payload():
        raise ExtractError(Code.CORRUPT, "no headers and no body: not an e-mail message")
    read_headers(msg, sink)
    parts = leaves(msg)
    read_body(msg, sink)
    read_attachments(parts, sink)
    # Structural defects (a missing boundary, bad base64) can hint at tampering or damage.
    sink.meta("mime_defects", sorted({type(d).__name__ for d in msg.defects}))
    return msg


# A header's value may start on the next, folded line: Python's SMTP policy folds an
# encoded Arabic display name right after "From:".
HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,40}):(?:[ \t]|\r?\n[ \t])", re.M)
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


def _sniff(probe: Probe) -> bool:
    if probe.text is None or probe.markup:
        return False
    block = probe.head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0][:8192]
    keys = {m.group(1).lower() for m in HEADER_LINE.finditer(block)}
    return len(keys & _MAIL_KEYS) >= 3 and (b"from" in keys or b"received" in keys)


EML = FileType(
    "eml",
    "message/rfc822",
    "email",
    ("eml", "mhtml"),
    sniff=_sniff,
    order=45,
)


class EmlExtractor(Extractor):
    name = "eml"
    file_types = (EML,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            data = f.read(MAX_EML + 1)
        if len(data) > MAX_EML:
            raise ExtractError(Code.TOO_LARGE, f"message over {MAX_EML} bytes", status="skipped")
        read_message(data, sink)
