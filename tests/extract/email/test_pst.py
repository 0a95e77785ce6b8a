"""PST stores: messages synthesised as .eml children, with folders; damaged stores."""

from __future__ import annotations

from tests.conftest import text_of


def test_sample_pst(extract, samples) -> None:
    r = extract(samples / "formats" / "testPST_variousBodyTypes.pst")
    assert (r.type, r.status) == ("pst", "ok")
    assert r.metadata["messages"] == 4
    first = r.children[0]
    assert first.name == "Top of Outlook data file/Inbox/tmp/1-original-email.eml"
    assert first.meta == {"synthesised": True, "folder": "Top of Outlook data file/Inbox/tmp"}
    msg = extract.child(first)
    assert msg.type == "eml"
    assert msg.metadata["subject"] == "original email"
    assert "tallison@mitre.org" in msg.metadata["from"]
    assert "This is the original email" in text_of(msg)


def test_corrupt_pst(extract) -> None:
    r = extract(b"!BDN" + b"\x00" * 600, "broken.pst")
    assert (r.type, r.status, r.code) == ("pst", "failed", "corrupt")


def test_synthesised_message_carries_attachments(extract) -> None:
    # What the PST extractor builds for each message: attachments become MIME parts,
    # so they come out as grandchildren through the EML extractor.
    import datetime as dt

    from docket.extract.email._synth import Synth, build_eml

    m = Synth(
        subject="كشف",
        sender="علي <ali@example.org>",
        to="omar@example.org",
        date=dt.datetime(2014, 3, 2, tzinfo=dt.UTC),
        plain="النص",
        attachments=[("a.pdf", b"%PDF-1.4"), ("a.pdf", b"%PDF-1.4")],
    )
    r = extract(build_eml(m), "m.eml")
    assert (r.type, r.metadata["subject"], r.metadata["date"]) == (
        "eml",
        "كشف",
        "2014-03-02T00:00:00+00:00",
    )
    assert [c.name for c in r.children] == ["a.pdf", "a.pdf"]
    assert "النص" in text_of(r)
