"""Legacy Word and PowerPoint (OLE2), against real samples, plus unit tests of the parts."""

from __future__ import annotations

from docket.extract.documents.doc import clean
from tests.conftest import text_of


def test_field_codes_are_dropped_and_results_kept():
    raw = 'See \x13 HYPERLINK "http://x" \x14the site\x15 now\rCell\x07Next\x13 PAGE \x145\x15'
    assert clean(raw) == "See the site now\nCell\tNext5"


def test_nested_fields():
    assert clean("a\x13 IF \x13 PAGE \x141\x15 = 1 \x14yes\x15b") == "ayesb"


def test_word_samples(extract, samples):
    folder = samples / "formats"
    doc = extract(folder / "test.doc")
    assert doc.status == "ok" and "test" in text_of(doc)
    assert doc.metadata["author"] == "Maxim Valyanskiy"
    word6 = extract(folder / "testWORD6.doc")
    assert "The quick brown fox jumps over the lazy dog" in text_of(word6)
    assert word6.metadata["format"] == "Word 6/95"
    assert word6.metadata["author"] == "Nevin Nollop"
    assert extract(folder / "testWORD_protected_passtika.doc").status == "encrypted"
    assert extract(folder / "testWORD_protected_drm.doc").status == "encrypted"
    embedded = extract(folder / "testWORD_embedded_rtf.doc")
    assert "The main doc" in text_of(embedded) and embedded.children
    package = extract(folder / "testWPSAttachment.doc")
    assert {"TXT.txt", "PDF.pdf", "XML.xml"} <= {c.name for c in package.children}
    for path in folder.glob("*.doc"):
        assert extract(path).status in ("ok", "partial", "failed", "encrypted", "unsupported")


def test_powerpoint_samples(extract, samples):
    folder = samples / "formats"
    deck = extract(folder / "testPPT_embedded2.ppt")
    assert deck.status == "ok", deck.message
    slide = [s for s in deck.segments if s.page == 1]
    assert "Title of presentation" in slide[0].text
    assert "The graph" in text_of(deck)
    assert len(deck.children) == 2
    assert deck.metadata["pages"] == 1
    # a slide holding only a picture (no text) still counts as a page
    assert extract(folder / "testPPT_EmbeddedPDF.ppt").metadata["pages"] == 1
    assert extract(folder / "testPPT_protected_passtika.ppt").status == "encrypted"
    for path in folder.glob("*.ppt"):
        assert extract(path).status in ("ok", "partial", "failed", "encrypted")


def test_not_ole_doc_does_not_crash(extract):
    result = extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.doc")
    assert result.status in ("failed", "unsupported", "ok")
