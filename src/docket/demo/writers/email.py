"""E-mail for the demo cache and the tests: RFC 822 messages and mbox files."""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
import struct
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def make_eml(
    sender: str,
    to: str | Sequence[str],
    subject: str,
    body: str,
    *,
    date: dt.datetime | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    html: str | None = None,
    charset: str = "utf-8",
    cc: str | None = None,
    message_id: str | None = None,
    attached_messages: Sequence[bytes] = (),
) -> bytes:
    """A MIME message. Non-ASCII headers are RFC 2047 encoded by the policy; ``charset``
    (e.g. ``windows-1256``) is the body's; ``attached_messages`` go in as message/rfc822."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = to if isinstance(to, str) else ", ".join(to)
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or dt.datetime(2014, 3, 2, 9, 30, tzinfo=dt.UTC))
    msg["Message-ID"] = message_id or make_msgid(domain="example.org")
    msg.set_content(body, charset=charset, cte="quoted-printable" if charset != "utf-8" else None)
    if html is not None:
        msg.add_alternative(html, subtype="html", charset=charset)
    for name, data in attachments:
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        main, sub = ctype.split("/", 1)
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    for raw in attached_messages:
        from email.parser import BytesParser

        inner = BytesParser(policy=policy.SMTP).parsebytes(raw)
        msg.add_attachment(inner)
    return msg.as_bytes()


_FROM_LINE = re.compile(rb"^(>*From )", re.M)


def make_mbox(messages: Sequence[bytes], sender: str = "MAILER-DAEMON") -> bytes:
    """An mboxrd file: each body line starting with (">"*)"From " gets one more ">"."""
    out = bytearray()
    for n, raw in enumerate(messages):
        raw = raw.replace(b"\r\n", b"\n")
        stamp = dt.datetime(2014, 3, 2, 9, 30) + dt.timedelta(minutes=n)
        out += f"From {sender} {stamp:%a %b %d %H:%M:%S %Y}\n".encode()
        out += _FROM_LINE.sub(rb">\1", raw)
        if not raw.endswith(b"\n"):
            out += b"\n"
        out += b"\n"
    return bytes(out)


def _filetime(when: dt.datetime) -> int:
    return int((when - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10_000_000)


def _props(header: int, fixed: Sequence[tuple[int, int, bytes]]) -> bytes:
    """A __properties_version1.0 stream: a header, then 16-byte fixed-size entries."""
    out = bytearray(header)
    for prop, ptype, value in fixed:
        out += struct.pack("<II8s", (prop << 16) | ptype, 0x6, value.ljust(8, b"\0"))
    return bytes(out)


def _message_streams(
    prefix: str,
    header: int,
    *,
    subject: str,
    body: str,
    sender_name: str = "",
    sender: str = "",
    to: str = "",
    cc: str = "",
    date: dt.datetime | None = None,
    codepage: int | None = None,
) -> dict[str, bytes]:
    def s(prop: int, value: str) -> tuple[str, bytes]:
        if codepage:  # 8-bit strings (PT_STRING8) in the message's code page
            return f"{prefix}__substg1.0_{prop:04X}001E", value.encode(f"cp{codepage}")
        return f"{prefix}__substg1.0_{prop:04X}001F", value.encode("utf-16-le")

    fixed = []
    if date:
        fixed.append((0x0039, 0x0040, struct.pack("<q", _filetime(date))))
    if codepage:
        fixed.append((0x3FFD, 0x0003, struct.pack("<i", codepage)))
    streams = {f"{prefix}__properties_version1.0": _props(header, fixed)}
    for prop, value in (
        (0x0037, subject),
        (0x1000, body),
        (0x0C1A, sender_name),
        (0x5D01, sender),
        (0x0E04, to),
        (0x0E03, cc),
    ):
        if value:
            key, data = s(prop, value)
            streams[key] = data
    return streams


def make_msg(
    sender: str,
    to: str,
    subject: str,
    body: str,
    *,
    sender_name: str = "",
    cc: str = "",
    date: dt.datetime | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
    codepage: int | None = None,
    embedded: dict[str, str] | None = None,
) -> bytes:
    """An Outlook .msg ([MS-OXMSG]) in a compound file. ``codepage`` (e.g. 1256) writes
    8-bit strings instead of UTF-16; ``embedded`` (subject, body) adds an attached message."""
    from docket.demo.writers.cfb import make_cfb

    date = date or dt.datetime(2014, 3, 2, 9, 30, tzinfo=dt.UTC)
    streams = _message_streams(
        "",
        32,
        subject=subject,
        body=body,
        sender_name=sender_name,
        sender=sender,
        to=to,
        cc=cc,
        date=date,
        codepage=codepage,
    )
    streams["__nameid_version1.0/__substg1.0_00020102"] = b""
    for n, addr in enumerate(a.strip() for a in to.split(";") if a.strip()):
        r = f"__recip_version1.0_#{n:08X}/"
        streams[r + "__properties_version1.0"] = _props(8, [(0x0C15, 0x0003, struct.pack("<i", 1))])
        streams[r + "__substg1.0_3001001F"] = addr.encode("utf-16-le")
        streams[r + "__substg1.0_39FE001F"] = addr.encode("utf-16-le")
    n = -1
    for n, (name, data) in enumerate(attachments):
        a = f"__attach_version1.0_#{n:08X}/"
        streams[a + "__properties_version1.0"] = _props(8, [(0x3705, 0x0003, struct.pack("<i", 1))])
        streams[a + "__substg1.0_3707001F"] = name.encode("utf-16-le")
        streams[a + "__substg1.0_37010102"] = data
    if embedded:
        a = f"__attach_version1.0_#{n + 1:08X}/"
        streams[a + "__properties_version1.0"] = _props(8, [(0x3705, 0x0003, struct.pack("<i", 5))])
        streams[a + "__substg1.0_3001001F"] = embedded["subject"].encode("utf-16-le")
        streams |= _message_streams(
            a + "__substg1.0_3701000D/",
            24,
            subject=embedded["subject"],
            body=embedded["body"],
            sender=embedded.get("sender", ""),
            date=date,
        )
    return make_cfb(streams)
