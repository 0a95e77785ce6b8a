"""mbox stores: streamed split into message children, mboxrd unquoting."""

from __future__ import annotations

from docket.demo.writers.email import make_eml, make_mbox
from tests.conftest import text_of


def test_three_messages(extract) -> None:
    messages = [
        make_eml(
            "a@example.org", "b@example.org", f"رسالة {n}", f"النص {n}\nFrom here on, quoted\n"
        )
        for n in (1, 2, 3)
    ]
    r = extract(make_mbox(messages), "box.mbox")
    assert (r.type, r.status) == ("mbox", "ok")
    assert r.metadata["messages"] == 3
    assert [c.name for c in r.children] == ["message-1.eml", "message-2.eml", "message-3.eml"]
    first = extract.child(r.children[0])
    assert first.type == "eml" and first.metadata["subject"] == "رسالة 1"
    assert "From here on, quoted" in text_of(first)  # ">From" unquoted
    assert extract.child_bytes(r.children[2]).endswith(b"\n")


def test_single_message(extract) -> None:
    r = extract(b"From nobody Mon Jun  1 10:00:00 2009\n\nhi\n", "one.mbox")
    assert r.metadata["messages"] == 1


def test_samples(extract, samples) -> None:
    expected = {"simple.mbox": 2, "quoted.mbox": 1, "multiline.mbox": 1, "multiline2.mbox": 1}
    for name, count in expected.items():
        r = extract(samples / "formats" / name)
        assert (r.type, r.status, r.metadata["messages"]) == ("mbox", "ok", count), name
    r = extract(samples / "formats" / "simple.mbox")
    assert extract.child_bytes(r.children[1]).strip() == b"Test content 2"
