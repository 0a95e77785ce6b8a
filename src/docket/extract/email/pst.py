"""Outlook PST/OST stores through libpff: every message becomes a synthesised .eml child.

A PST holds no RFC 822 bytes, only MAPI properties; each message is rebuilt as MIME
(transport headers when Outlook kept them, else headers from the properties) with its
attachments as parts, so the EML extractor reads it and the attachments become
grandchildren. Children are marked ``synthesised`` so nobody mistakes them for originals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pypff

from docket.extract.base import Extractor
from docket.extract.email._synth import Synth, build_eml, slug
from docket.extract.encoding import decode
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError, LimitExceeded

_STRING_TYPES = (0x001F, 0x001E)
MAX_ATTACHMENT = 512 * 1024 * 1024


def properties(item: Any) -> dict[int, Any]:
    """String properties of an item's first record set, keyed by property id."""
    out: dict[int, Any] = {}
    try:
        entries = item.get_record_set(0).entries if item.number_of_record_sets else []
        for entry in entries:
            if entry.value_type in _STRING_TYPES and entry.entry_type not in out:
                try:
                    out[entry.entry_type] = entry.get_data_as_string()
                except (OSError, ValueError):
                    continue
    except (OSError, ValueError, IndexError):
        pass  # a damaged record set: the typed accessors below still get a chance
    return out


def _body(data: bytes | str | None) -> str | None:
    if data is None:
        return None
    if isinstance(data, str):
        return data
    return decode(data.rstrip(b"\x00"))[0]


def synth(message: Any) -> Synth:
    props = properties(message)
    addr = props.get(0x5D01) or props.get(0x0C1F)
    name = props.get(0x0C1A) or message.sender_name
    sender = f"{name} <{addr}>" if name and addr and "@" in addr else (addr or name)
    when = message.client_submit_time or message.delivery_time
    if isinstance(when, dt.datetime) and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # libpff gives FILETIMEs, which are UTC
    m = Synth(
        subject=message.subject,
        sender=sender,
        to=props.get(0x0E04),
        cc=props.get(0x0E03),
        bcc=props.get(0x0E02),
        date=when if isinstance(when, dt.datetime) else None,
        message_id=props.get(0x1035),
        transport_headers=message.transport_headers,
        plain=_body(message.plain_text_body),
        html=_body(message.html_body),
    )
    return m


def attachments(message: Any, warn: list[str]) -> list[tuple[str, bytes]]:
    out = []
    for n in range(message.number_of_attachments):
        try:
            att = message.get_attachment(n)
            name = att.long_filename or properties(att).get(0x3704) or f"attachment-{n + 1}.bin"
            size = att.size or 0
            if size > MAX_ATTACHMENT:
                warn.append(f"attachment {name!r} over {MAX_ATTACHMENT} bytes not included")
                continue
            out.append((name, att.read_buffer(size) if size else b""))
        except (OSError, ValueError) as exc:
            # Embedded messages and OLE objects have no byte stream in libpff.
            warn.append(f"attachment {n + 1} not included: {exc}")
    return out


PST = FileType(
    "pst",
    "application/vnd.ms-outlook-pst",
    "email",
    ("pst", "ost"),
    magic=((0, b"!BDN"),),
    order=10,
)


class PstExtractor(Extractor):
    name = "pst"
    file_types = (PST,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        store = pypff.file()
        try:
            store.open(str(path))
            root = store.get_root_folder()
        except (OSError, ValueError) as exc:
            raise ExtractError(Code.CORRUPT, f"unreadable PST: {exc}") from exc
        try:
            count = self._walk(root, sink)
        finally:
            store.close()
        sink.meta("messages", count)

    def _walk(self, root: Any, sink: Sink) -> int:
        count = 0
        stack: list[tuple[Any, str]] = [(root, "")]
        folders: list[str] = []
        while stack:
            folder, where = stack.pop()
            if where:
                folders.append(where)
            try:
                n_messages = folder.number_of_sub_messages
                n_folders = folder.number_of_sub_folders
            except (OSError, ValueError) as exc:
                sink.warn(Code.MEMBER_ERROR, f"folder {where or '/'} unreadable: {exc}")
                continue
            for i in range(n_messages):
                count += self._message(folder, i, where, sink)
            for j in reversed(range(n_folders)):
                try:
                    sub = folder.get_sub_folder(j)
                    name = (sub.name or f"folder-{j + 1}").replace("/", "_")
                except (OSError, ValueError) as exc:
                    sink.warn(
                        Code.MEMBER_ERROR, f"subfolder {j + 1} of {where or '/'} unreadable: {exc}"
                    )
                    continue
                stack.append((sub, f"{where}/{name}" if where else name))
        sink.meta("folders", folders)
        return count

    def _message(self, folder: Any, i: int, where: str, sink: Sink) -> int:
        fallback = f"{where}/{i + 1}.eml" if where else f"{i + 1}.eml"
        try:
            message = folder.get_sub_message(i)
            m = synth(message)
            warn: list[str] = []
            m.attachments = attachments(message, warn)
            data = build_eml(m)
        except LimitExceeded:
            raise
        except Exception as exc:  # libpff and damaged stores fail in many ways; keep going
            sink.child_error(
                fallback, Code.MEMBER_ERROR, f"message unreadable: {exc}", meta={"folder": where}
            )
            return 0
        name = (
            f"{where}/{i + 1}-{slug(m.subject)}.eml" if where else f"{i + 1}-{slug(m.subject)}.eml"
        )
        meta: dict[str, Any] = {"synthesised": True, "folder": where}
        if warn:
            meta["warnings"] = warn
            sink.warn(Code.MEMBER_ERROR, f"{name}: " + "; ".join(warn))
        sink.child(name, data, meta=meta)
        return 1
