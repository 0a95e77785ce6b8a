"""Outlook .msg: generated with the CFB writer (UTF-16 and code-page strings) and samples."""

from __future__ import annotations

import pytest

from docket.demo.writers.email import make_msg
from tests.conftest import text_of


@pytest.mark.parametrize("codepage", [None, 1256])
def test_arabic_msg(extract, codepage) -> None:
    data = make_msg(
        "ali@example.org",
        "omar@example.org; huda@example.org",
        "تقرير الرواتب",
        "نص الرسالة بالعربية",
        sender_name="علي",
        attachments=[("كشف.xlsx", b"PK data"), ("كشف.xlsx", b"PK data")],
        codepage=codepage,
        embedded={"subject": "رسالة مرفقة", "body": "مرحبا", "sender": "sara@example.org"},
    )
    r = extract(data, "m.msg")
    assert (r.type, r.status) == ("msg", "ok")
    assert r.metadata["subject"] == "تقرير الرواتب"
    assert r.metadata["from"] == "علي <ali@example.org>"
    assert r.metadata["date"] == "2014-03-02T09:30:00+00:00"
    assert [x["email"] for x in r.metadata["recipients"]] == [
        "omar@example.org",
        "huda@example.org",
    ]
    assert "نص الرسالة بالعربية" in text_of(r)
    assert [c.name for c in r.children] == ["كشف.xlsx", "كشف.xlsx", "رسالة-مرفقة.eml"]
    inner = extract.child(r.children[2])
    assert inner.type == "eml" and inner.metadata["subject"] == "رسالة مرفقة"
    assert "مرحبا" in text_of(inner)


def test_not_an_msg(extract) -> None:
    from docket.demo.writers.cfb import make_cfb

    r = extract(make_cfb({"__substg1.0_0037001F": b"\xff"}), "x.msg")
    assert r.type == "msg" and r.status in ("ok", "failed")


@pytest.mark.parametrize(
    ("name", "subject", "text"),
    [
        ("testMSG.msg", "MIME registry use cases", "making the type detection code more"),
        ("test-outlook.msg", "Microsoft Outlook Express 6", "messagerie"),
        ("testMSG_forwarded.msg", "FW: Testing", "Original Body"),
        ("testMSG_Post.msg", "QuickBrownFox", "lazy brown dog"),
        ("testMSG_StickyNote.msg", "This is a note about the quick brown fox", "quick brown fox"),
        ("testMSG_Task.msg", "Must jump over the lazy dog", "Quick brown fox must"),
    ],
)
def test_samples(extract, samples, name, subject, text) -> None:
    r = extract(samples / "formats" / name)
    assert r.status == "ok", r.message
    assert r.metadata["subject"] == subject
    assert text in text_of(r)
