"""Build an RFC 822 message from a mail store's properties (PST messages, messages
embedded in a .msg), so every message, wherever it came from, is read by one extractor.

The transport headers, when the store kept them, are used as they are: they are the
message's own. Otherwise From/To/Cc/Subject/Date are written from the properties.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import format_datetime
from typing import Any

_SKIP = {"content-type", "content-transfer-encoding", "mime-version", "content-disposition"}


@dataclass(slots=True)
class Synth:
    subject: str | None = None
    sender: str | None = None
    to: str | None = None
    cc: str | None = None
    bcc: str | None = None
    date: datetime | None = None
    message_id: str | None = None
    transport_headers: str | None = None
    plain: str | None = None
    html: str | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def _clean(value: str) -> str:
    return " ".join(value.replace("\x00", "").split())


def build_eml(m: Synth) -> bytes:
    """The message as MIME bytes: body parts, then attachments in order, names kept."""
    msg = EmailMessage(policy=policy.default.clone(linesep="\r\n", max_line_length=998))
    have: set[str] = set()
    if m.transport_headers:
        parsed = HeaderParser(policy=policy.compat32).parsestr(m.transport_headers)
        for name, raw in parsed.items():
            if name.lower() in _SKIP:
                continue  # the body structure is rebuilt below, so its headers are too
            try:
                msg[name] = _clean(str(raw))
                have.add(name.lower())
            except (ValueError, TypeError):
                continue
    for name, value in (
        ("From", m.sender),
        ("To", m.to),
        ("Cc", m.cc),
        ("Bcc", m.bcc),
        ("Subject", m.subject),
        ("Message-ID", m.message_id),
        *m.extra.items(),
    ):
        if value and name.lower() not in have:
            try:
                msg[name] = _clean(value)
            except (ValueError, TypeError):
                msg[name] = re.sub(r"[^\x20-\x7e]", "?", _clean(value))
    if m.date and "date" not in have:
        msg["Date"] = format_datetime(m.date)
    if m.plain is not None or m.html is None:
        msg.set_content(m.plain or "", charset="utf-8")
        if m.html:
            msg.add_alternative(m.html, subtype="html", charset="utf-8")
    else:
        msg.set_content(m.html, subtype="html", charset="utf-8")
    for name, data in m.attachments:
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if ctype == "message/rfc822":
            ctype = "application/octet-stream"  # keep the bytes opaque; the EML reader names it
        main, sub = ctype.split("/", 1)
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg.as_bytes()


def slug(text: str | None, limit: int = 60) -> str:
    """A short file-name-safe form of a subject (Arabic letters kept)."""
    words = re.sub(r"[^\w\s-]", "", text or "", flags=re.UNICODE).split()
    return "-".join(words)[:limit].strip("-") or "no-subject"
