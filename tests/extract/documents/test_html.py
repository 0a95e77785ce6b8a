"""HTML: visible text only, metadata, charsets."""

from __future__ import annotations

from docket.demo.writers.documents import make_html
from tests.conftest import text_of


def test_arabic_page_without_script(extract):
    data = make_html(
        "طلب تحويل",
        ["من: أبو عمار النعيمي", "الموضوع: طلب تحويل"],
        author="أبو عمار",
        script="var secret = 'do-not-index';",
    )
    result = extract(data, "page.html")
    assert result.status == "ok", result.message
    text = text_of(result)
    assert "من: أبو عمار النعيمي" in text
    assert "do-not-index" not in text and "color: red" not in text
    assert result.metadata["title"] == "طلب تحويل"
    assert result.metadata["author"] == "أبو عمار"
    assert result.metadata["language"] == "ar"


def test_cp1256_page_declared_as_latin(extract):
    page = '<html><head><meta charset="iso-8859-1"><title>x</title></head><body><p>من: أبو عمار النعيمي في الموصل</p></body></html>'
    result = extract(page.encode("cp1256"), "p.html")
    assert result.metadata["encoding"] == "cp1256"
    assert "أبو عمار النعيمي" in text_of(result)


def test_meta_generator_and_inline_image(extract):
    page = (
        b'<html><head><meta name="generator" content="FrontPage 4.0"></head><body>'
        b'<p>Hello</p><img src="data:image/png;base64,iVBORw0KGgo="></body></html>'
    )
    result = extract(page, "g.html")
    assert result.metadata["application"] == "FrontPage 4.0"
    assert [c.name for c in result.children] == ["inline-image-1.png"]
    assert extract.child_bytes(result.children[0]).startswith(b"\x89PNG")


def test_samples(extract, samples):
    folder = samples / "formats"
    arabic = extract(folder / "testArabicMisleadingCharset.html")
    assert "اللغة العربية" in text_of(arabic)
    bad_script = extract(folder / "testHTMLBadScript.html")
    assert "This is a test." in text_of(bad_script)
    utf16 = extract(folder / "testHTML_charset_utf16le.html")
    assert "This is a sample text" in text_of(utf16)
    for path in folder.glob("*.htm*"):
        assert extract(path).status in ("ok", "partial", "failed")
