"""Apple Mail ``.emlx``: the message read like an e-mail (subject, sender, body,
attachments), Mail's own record of it (arrival time, flags, mailbox) read from the
property list after it; damaged files get a reason, never a crash."""

from __future__ import annotations

import datetime as dt
import plistlib

from docket.demo.writers.email import make_eml
from tests.conftest import text_of

WHEN = dt.datetime(2016, 5, 1, 8, 0, tzinfo=dt.UTC)


def make_emlx(message: bytes, plist: dict | None = None, *, length: int | None = None) -> bytes:
    """An .emlx as Mail writes it: the length line, the message, the property list."""
    props = plist if plist is not None else {}
    tail = plistlib.dumps(props, fmt=plistlib.FMT_XML)
    return f"{len(message) if length is None else length:<10}\n".encode() + message + tail


def _message() -> bytes:
    return make_eml(
        "أبو عمار <abu.ammar@example.org>",
        "huda@example.org",
        "Re: Emlx library",
        "Python code attached.\nمع التحية",
        date=WHEN,
        attachments=[("ledger.csv", b"name,amount\nAli,500\n")],
    )


def test_emlx_message_and_mail_properties(extract) -> None:
    props = {
        "date-received": 1462089720,
        "flags": 1 | 1 << 2 | 1 << 4,  # read, answered, flagged
        "original-mailbox": "imap://huda@mail.example.org/INBOX",
        "remote-id": "4711",
    }
    r = extract(make_emlx(_message(), props), "12345.emlx")
    assert (r.type, r.status, r.mime) == ("emlx", "ok", "message/x-emlx"), r.message
    assert r.metadata["subject"] == "Re: Emlx library"
    assert r.metadata["from"] == "أبو عمار <abu.ammar@example.org>"
    assert r.metadata["date"] == "2016-05-01T08:00:00+00:00"
    assert "Python code attached." in text_of(r) and "مع التحية" in text_of(r)
    assert [c.name for c in r.children] == ["ledger.csv"]
    assert r.metadata["date_received"] == "2016-05-01T08:02:00+00:00"
    assert r.metadata["mail_flags"] == ["read", "answered", "flagged"]
    assert r.metadata["original_mailbox"] == "imap://huda@mail.example.org/INBOX"
    assert "plist" not in text_of(r)  # the property list is not part of the message


def test_emlx_detected_by_content_not_name(extract) -> None:
    assert extract(make_emlx(_message()), "message.bin").type == "emlx"
    assert extract(_message(), "plain.eml").type == "eml"


def test_damaged_emlx_files(extract) -> None:
    whole = make_emlx(_message(), {"flags": 1})
    cut = extract(whole[:300], "cut.emlx")
    assert (cut.status, cut.warnings[0][0]) == ("partial", "truncated")
    assert cut.metadata["subject"] == "Re: Emlx library"
    bad_plist = make_emlx(_message())[:-40] + b"<dict><key>x"
    broken = extract(bad_plist, "bad.emlx")
    assert broken.status == "partial" and broken.metadata["subject"] == "Re: Emlx library"
    hostile = (
        make_emlx(_message()).split(b"<?xml")[0]
        + b'<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY x "xxxxxxxx">]>'
        + b'<plist version="1.0"><dict><key>remote-id</key><string>&x;</string></dict></plist>'
    )
    refused = extract(hostile, "entities.emlx")
    assert refused.status == "partial" and "entit" in refused.warnings[0][1].lower()
    empty = extract(b"0         \n", "empty.emlx")
    assert (empty.status, empty.code) in (("failed", "corrupt"), ("ok", None))
