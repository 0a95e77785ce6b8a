"""RFC 822 messages: Arabic headers and bodies, attachments, nested messages, samples."""

from __future__ import annotations

import datetime as dt
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from docket.demo.writers.email import make_eml
from tests.conftest import text_of

WHEN = dt.datetime(2014, 3, 2, 9, 30, tzinfo=dt.UTC)


def _message() -> bytes:
    inner = make_eml("sara@example.org", "ali@example.org", "الرد الأول", "شكرا", date=WHEN)
    return make_eml(
        "علي <ali@example.org>",
        ["omar@example.org", "huda@example.org"],
        "كشف رواتب شهر آذار",
        "مرفق الكشف المطلوب.\nمع التحية",
        date=WHEN,
        charset="windows-1256",
        attachments=[
            ("كشف.docx", b"PK\x03\x04 not really"),
            ("كشف.docx", b"PK\x03\x04 not really"),
            ("scan.pdf", b"%PDF-1.4\n"),
        ],
        attached_messages=[inner],
        message_id="<m1@example.org>",
    )


def test_arabic_message(extract) -> None:
    raw = _message()
    assert b"=?utf-8?" in raw and b"windows-1256" in raw  # really RFC 2047 and cp1256 QP
    r = extract(raw, "mail.eml")
    assert (r.type, r.status) == ("eml", "ok")
    assert r.metadata["subject"] == "كشف رواتب شهر آذار"
    assert r.metadata["from"] == "علي <ali@example.org>"
    assert r.metadata["to"] == "omar@example.org, huda@example.org"
    assert r.metadata["date"] == "2014-03-02T09:30:00+00:00"
    assert r.metadata["message_id"] == "<m1@example.org>"
    headers = next(s for s in r.segments if s.part == "headers").text
    assert "Subject: كشف رواتب شهر آذار" in headers
    body = next(s for s in r.segments if s.part == "body").text
    assert "مرفق الكشف المطلوب." in body


def test_a_header_folded_right_after_its_name_is_still_a_mail(extract) -> None:
    from email import policy
    from email.message import EmailMessage

    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = "أبو مصعب الليبي <p1.1234@example.org>"  # encoded, then folded after "From:"
    msg["To"] = "Office <office@example.org>"
    msg["Subject"] = "Note"
    msg.set_content("The list is ready.\n")
    raw = msg.as_bytes()
    assert raw.startswith(b"From:\r\n =?utf-8?")
    r = extract(raw, "note.txt")  # by content, not by extension
    assert r.type == "eml" and r.metadata["from"] == "أبو مصعب الليبي <p1.1234@example.org>"


def test_attachments_and_nested_message(extract) -> None:
    r = extract(_message(), "mail.eml")
    names = [c.name for c in r.children]
    # Two attachments with the same name and bytes both stay.
    assert names == ["كشف.docx", "كشف.docx", "scan.pdf", "attachment-4.eml"]
    assert r.children[0].blob.sha256 == r.children[1].blob.sha256
    nested = extract.child(r.children[3])
    assert nested.type == "eml"
    assert nested.metadata["subject"] == "الرد الأول"
    assert "شكرا" in text_of(nested)


def test_html_only_body(extract) -> None:
    html = "<html><head><style>p{}</style><script>alert(1)</script></head><body><p>مرحبا</p><p>world</p></body></html>"
    raw = make_eml("a@example.org", "b@example.org", "html", "plain", html=html)
    # Drop the plain alternative to leave only HTML.
    raw = raw.replace(b"Content-Type: text/plain", b"Content-Type: text/x-skip")
    r = extract(raw, "h.eml")
    body = "\n".join(s.text for s in r.segments if s.part == "body")
    assert body == "مرحبا\nworld"


def test_broken_headers_do_not_stop_extraction(extract) -> None:
    raw = (
        b"From: =?utf-8?b?broken?= <<a@@example.org>\r\nTo: ,,,\r\nSubject: =?windows-1256?Q?=DF=D4=DD?=\r\n"
        b"Date: not a date\r\nMessage-ID: <x>\r\n\r\nbody text\r\n"
    )
    r = extract(raw, "bad.eml")
    assert r.status == "ok"
    assert r.metadata["subject"] == "كشف"
    assert r.metadata["date"] == "not a date"
    assert "body text" in text_of(r)


@pytest.mark.parametrize(
    ("name", "expected", "children"),
    [
        ("testRFC822_dkim.eml", "We lost the game", 0),
        ("testRFC822_multipart_attachments.eml", "This is test email for EML1", 2),
        ("testEML_embedded_xhtml_and_img.eml", "Using inline content", 1),
        ("testThunderbirdEml.eml", "Dear Vladimir", 0),
        ("testLotusEml.eml", "Message body", 0),
        ("testRFC822_x-.eml", "Julien Nioche commented on TIKA-461", 0),
    ],
)
def test_samples(extract, samples, name, expected, children) -> None:
    r = extract(samples / "formats" / name)
    assert r.status == "ok", r.message
    assert expected in text_of(r)
    assert len(r.children) == children


def _mime(*parts: MIMEBase, kind: str = "mixed") -> MIMEMultipart:
    msg = MIMEMultipart(kind)
    for part in parts:
        msg.attach(part)
    return msg


def _mixed_message() -> bytes:
    """Text and HTML parts one after another in a multipart/mixed, an attachment between
    them, and an alternative (plain and HTML saying the same) inside."""
    msg = _mime(
        MIMEText("This is the first part (plaintext)", "plain", "utf-8"),
        MIMEText("<p>This is the <b>second</b> part (HTML)</p>", "html", "utf-8"),
        MIMEApplication(b"%PDF-1.4\n", Name="scan.pdf"),
        MIMEText("الجزء الثالث (نص)", "plain", "utf-8"),
        MIMEText("<div dir='rtl'>الجزء الرابع (HTML)</div>", "html", "utf-8"),
        _mime(
            MIMEText("Said once in plain text", "plain", "utf-8"),
            MIMEText("<p>Said once in <i>HTML</i></p>", "html", "utf-8"),
            kind="alternative",
        ),
        _mime(
            MIMEText("<p>Only an HTML alternative</p>", "html", "utf-8"),
            MIMEApplication(b"\x89PNG\r\n\x1a\n", Name="logo.png"),
            kind="related",
        ),
    )
    msg["Subject"], msg["From"], msg["To"] = "parts", "a@example.org", "b@example.org"
    return msg.as_bytes()


def test_every_body_part_of_a_mixed_message(extract) -> None:
    r = extract(_mixed_message(), "mixed.eml")
    assert r.status == "ok", r.message
    bodies = [s.text for s in r.segments if s.part == "body"]
    assert bodies == [
        "This is the first part (plaintext)",
        "This is the second part (HTML)",
        "الجزء الثالث (نص)",
        "الجزء الرابع (HTML)",
        "Said once in plain text",
        "Only an HTML alternative",
    ]
    assert [c.name for c in r.children] == ["scan.pdf", "logo.png"]
