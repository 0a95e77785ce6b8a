"""Outlook .msg files ([MS-OXMSG]): an OLE compound file of MAPI property streams.

Variable-length properties live in ``__substg1.0_IIIITTTT`` streams (IIII the property
id, TTTT its type); fixed-size ones (dates, code pages, recipient types) in the
``__properties_version1.0`` stream. Recipients and attachments are sub-storages.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import Any

import olefile

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.email._html import html_to_text
from docket.extract.email._synth import Synth, build_eml, slug
from docket.extract.email.eml import iso_date as rfc_date
from docket.extract.encoding import decode
from docket.extract.olefiles import open_ole
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code

PT_UNICODE, PT_STRING8, PT_BINARY = "001F", "001E", "0102"
PT_LONG, PT_SYSTIME = 0x0003, 0x0040
_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
MAX_STREAM = 256 * 1024 * 1024
RECIPIENT_KIND = {1: "to", 2: "cc", 3: "bcc"}


def filetime(value: int) -> dt.datetime | None:
    """A Windows FILETIME (100 ns ticks since 1601) as an aware datetime."""
    if value <= 0:
        return None
    try:
        return _EPOCH + dt.timedelta(microseconds=value // 10)
    except OverflowError:
        return None


class MapiStorage:
    """Properties of one storage: the message, a recipient, an attachment."""

    def __init__(self, ole: olefile.OleFileIO, prefix: list[str], header: int) -> None:
        self.ole, self.prefix = ole, prefix
        self.fixed = self._fixed(header)
        self.codepage = self.fixed_int(0x3FFD) or self.fixed_int(0x3FDE)

    def _read(self, name: str) -> bytes | None:
        path = [*self.prefix, name]
        if not self.ole.exists("/".join(path)):
            return None
        if self.ole.get_size("/".join(path)) > MAX_STREAM:
            return None
        return self.ole.openstream(path).read()

    def _fixed(self, header: int) -> dict[int, tuple[int, bytes]]:
        data = self._read("__properties_version1.0") or b""
        out: dict[int, tuple[int, bytes]] = {}
        for off in range(header, len(data) - 15, 16):
            tag, _flags, value = struct.unpack_from("<II8s", data, off)
            out[tag >> 16] = (tag & 0xFFFF, value)
        return out

    def fixed_int(self, prop: int) -> int | None:
        found = self.fixed.get(prop)
        return struct.unpack("<i", found[1][:4])[0] if found and found[0] == PT_LONG else None

    def time(self, prop: int) -> dt.datetime | None:
        found = self.fixed.get(prop)
        return (
            filetime(struct.unpack("<q", found[1])[0]) if found and found[0] == PT_SYSTIME else None
        )

    def binary(self, prop: int) -> bytes | None:
        return self._read(f"__substg1.0_{prop:04X}{PT_BINARY}")

    def string(self, prop: int) -> str | None:
        data = self._read(f"__substg1.0_{prop:04X}{PT_UNICODE}")
        if data is not None:
            text = data.decode("utf-16-le", "replace")
        else:
            data = self._read(f"__substg1.0_{prop:04X}{PT_STRING8}")
            if data is None:
                return None
            text, _ = decode(data, f"cp{self.codepage}" if self.codepage else None)
        return text.rstrip("\x00").strip() or None

    def children(self, kind: str) -> list[list[str]]:
        """Sub-storages named ``__recip_version1.0_#...`` or ``__attach_version1.0_#...``."""
        depth = len(self.prefix)
        found = {
            tuple(entry[: depth + 1])
            for entry in self.ole.listdir(streams=True, storages=True)
            if len(entry) > depth and entry[:depth] == self.prefix and entry[depth].startswith(kind)
        }
        return [list(p) for p in sorted(found)]


def read_message(ole: olefile.OleFileIO, prefix: list[str], top: bool) -> tuple[Synth, list]:
    """The message at ``prefix`` as a ``Synth`` and its attachment storages."""
    store = MapiStorage(ole, prefix, 32 if top else 24)
    addr = store.string(0x5D01) or store.string(0x5D02) or store.string(0x0C1F)
    name = store.string(0x0C1A) or store.string(0x0042)
    if addr and "@" not in addr:
        addr = None  # an Exchange DN ("/o=.../cn=..."): no use as an address, name instead
    sender = f"{name} <{addr}>" if name and addr else (addr or name)
    m = Synth(
        subject=store.string(0x0037),
        sender=sender,
        to=store.string(0x0E04),
        cc=store.string(0x0E03),
        bcc=store.string(0x0E02),
        date=store.time(0x0039) or store.time(0x0E06),
        message_id=store.string(0x1035),
        transport_headers=store.string(0x007D),
        plain=store.string(0x1000),
    )
    html = store.binary(0x1013)
    if html is not None:
        cpid = store.fixed_int(0x3FDE)
        m.html = decode(html, f"cp{cpid}" if cpid and cpid != 65001 else None)[0]
    else:
        m.html = store.string(0x1013)
    recipients = []
    for path in store.children("__recip_version1.0_"):
        r = MapiStorage(ole, path, 8)
        who = r.string(0x3001)
        email = r.string(0x39FE) or r.string(0x3003)
        kind = RECIPIENT_KIND.get(r.fixed_int(0x0C15) or 1, "to")
        recipients.append({"name": who, "email": email, "kind": kind})
    m.extra["_recipients"] = recipients  # type: ignore[assignment]
    return m, store.children("__attach_version1.0_")


def _sniff(probe: Probe) -> bool:
    # Outlook keeps each property in a "__substg1.0_XXXXYYYY" stream.
    return any(
        s.startswith("__substg1.0_") or s == "__properties_version1.0" for s in probe.members
    )


MSG = FileType(
    "msg",
    "application/vnd.ms-outlook",
    "email",
    ("msg",),
    container="ole",
    sniff=_sniff,
    order=13,
)


class MsgExtractor(Extractor):
    name = "msg"
    file_types = (MSG,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        ole = open_ole(path)
        with ole:
            m, attachments = read_message(ole, [], top=True)
            self._meta(m, sink)
            for n, att in enumerate(attachments, 1):
                self._attachment(ole, att, n, sink)

    def _meta(self, m: Synth, sink: Sink) -> None:
        recipients = m.extra.pop("_recipients", [])
        sink.meta("subject", m.subject)
        sink.meta("from", m.sender)
        sink.meta("to", m.to)
        sink.meta("cc", m.cc)
        sink.meta("bcc", m.bcc)
        sink.meta("date", m.date.isoformat() if m.date else None)
        sink.meta("message_id", m.message_id)
        sink.meta("recipients", [{k: v for k, v in r.items() if v} for r in recipients])
        if m.transport_headers:
            sink.meta("transport_headers", m.transport_headers)
            if not m.date:
                for line in m.transport_headers.splitlines():
                    if line.lower().startswith("date:"):
                        sink.meta("date", rfc_date(line[5:].strip()))
        shown = [
            ("From", m.sender),
            ("To", m.to),
            ("Cc", m.cc),
            ("Date", sink.metadata.get("date")),
        ]
        shown.append(("Subject", m.subject))
        sink.text("\n".join(f"{k}: {v}" for k, v in shown if v), part="headers")
        if m.plain:
            sink.text(m.plain, part="body")
        elif m.html:
            sink.text(html_to_text(m.html), part="body")

    def _attachment(self, ole: olefile.OleFileIO, prefix: list[str], n: int, sink: Sink) -> None:
        att = MapiStorage(ole, prefix, 8)
        name = att.string(0x3707) or att.string(0x3704) or att.string(0x3001)
        meta: dict[str, Any] = {
            "content_type": att.string(0x370E),
            "content_id": att.string(0x3712),
        }
        meta = {k: v for k, v in meta.items() if v}
        data = att.binary(0x3701)
        if data is not None:
            name = name or f"attachment-{n}.bin"
            if name.lower().endswith(".p7m") or meta.get("content_type", "").endswith("pkcs7-mime"):
                sink.meta("smime", "enveloped-or-signed")  # kept whole; never opened
            sink.child(name, data, meta=meta)
            return
        embedded = [*prefix, "__substg1.0_3701000D"]
        if ole.exists("/".join(embedded)):
            try:
                inner, inner_atts = read_message(ole, embedded, top=False)
                inner.extra.pop("_recipients", None)
                inner.attachments = self._inner_attachments(ole, inner_atts)
                meta |= {"synthesised": True, "embedded_message": True}
                sink.child(f"{slug(inner.subject or name)}.eml", build_eml(inner), meta=meta)
            except Exception as exc:  # one bad embedded message must not cost the rest
                sink.child_error(
                    name or f"attachment-{n}.msg",
                    Code.MEMBER_ERROR,
                    f"embedded message unreadable: {exc}",
                )
            return
        sink.child_error(
            name or f"attachment-{n}",
            Code.UNSUPPORTED,
            "attachment without data (a link or an OLE object)",
            status="unsupported",
            meta=meta,
        )

    def _inner_attachments(
        self, ole: olefile.OleFileIO, paths: list[list[str]]
    ) -> list[tuple[str, bytes]]:
        out = []
        for n, prefix in enumerate(paths, 1):
            att = MapiStorage(ole, prefix, 8)
            data = att.binary(0x3701)
            if data is not None:
                out.append(
                    (att.string(0x3707) or att.string(0x3704) or f"attachment-{n}.bin", data)
                )
        return out
