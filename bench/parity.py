"""Parity with Aleph's ingest-file: the facts its tests assert, checked on Docket.

    PYTHONPATH=src python -m bench.parity [--keep DIR] [--markdown]

ingest-file's tests (``tests/test_*.py`` of alephdata/ingest-file and of its fork
openaleph/ingest-file) each ingest one fixture and assert facts about it: its MIME
type, title, page count, that a page's text holds a phrase, how many children it has,
whether it is encrypted… Their fixtures are third-party files that Docket does not ship
and never downloads, so this bench checks the same facts on REGENERATIONS of them
(``tests/fixtures/parity.py``): files written here by code with the same format and
structure as each test's fixture and the phrases the test looks for. A fact met here
says that Docket reads that kind of file that way; it is not a run on ingest-file's own
files. A fixture nothing here can write makes its facts "not checkable", with the reason;
so do facts about a field Docket does not have (ingest-file's separate HTML body).

Every fixture is ingested by the CLI (``docket ingest``, two workers, OCR and enrichment
as by default) into a temporary case; each fact is read from ``docket list --json``,
``docket show --json ID`` and ``docket search --json``. Then ``docket ingest
--passwords`` is run again over the case with a list holding the fixtures' password, and
the facts Docket adds beyond ingest-file (the encrypted files opened) are checked. It
prints one line per fact — met, NOT MET or not checkable — and "N of M facts met";
``--markdown`` prints the summary in docs/formats.md. Takes about 35 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fixtures import parity
from typer.testing import CliRunner

MET, NOT_MET, UNCHECKABLE = "met", "NOT MET", "not checkable"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


class Run:
    """One ingested case, read through the CLI."""

    def __init__(self, case: Path) -> None:
        from docket.cli.main import app

        self.case, self.app, self.runner = case, app, CliRunner()
        self.refresh()

    def cli(self, *args: str) -> str:
        result = self.runner.invoke(self.app, ["--case", str(self.case), *args])
        if result.exit_code != 0:
            raise RuntimeError(f"docket {' '.join(args)}: {result.output}")
        return result.output

    def refresh(self) -> None:
        lines = self.cli("list", "--json").splitlines()
        self.items = [json.loads(line) for line in lines if line.strip()]
        self.by_name = {"/".join(p.rsplit("/", 1)[-1] for p in i["path"]): i for i in self.items}
        self._shown: dict[str, dict[str, Any]] = {}

    def show(self, name: str) -> dict[str, Any]:
        if name not in self._shown:
            self._shown[name] = json.loads(self.cli("show", "--json", self.by_name[name]["id"]))
        return self._shown[name]

    def meta(self, name: str) -> dict[str, Any]:
        return self.show(name)["metadata"]

    def text(self, name: str) -> str:
        return str(self.show(name)["text"] or "")

    def ok(self, name: str) -> bool:
        return self.show(name)["status"] == "ok"

    def parts(self, name: str, key: str, value: Any) -> list[str]:
        """The text of the segments whose ``key`` is ``value`` (``page`` 3, ``part`` body)."""
        shown = self.show(name)
        text, segs = self.text(name), shown["segments"]
        out = []
        for n, seg in enumerate(segs):
            end = segs[n + 1]["start"] if n + 1 < len(segs) else len(text)
            if seg.get(key) == value:
                out.append(text[seg["start"] : end].strip())
        return out

    def page(self, name: str, number: int) -> str:
        return "\n".join(self.parts(name, "page", number))

    def body(self, name: str) -> list[str]:
        return self.parts(name, "part", "body")

    def children(self, name: str) -> list[str]:
        prefix = name + "/"
        return [k for k in self.by_name if k.startswith(prefix) and "/" not in k[len(prefix) :]]

    def found(self, query: str, name: str) -> bool:
        hits = json.loads(self.cli("search", "--json", "--limit", "50", query))["hits"]
        return any(h["id"] == self.by_name[name]["id"] for h in hits)

    def mentions(self, name: str, kind: str) -> list[str]:
        return [str(m["value"]) for m in self.show(name)["mentions"] if m["kind"] == kind]


Check = Callable[[Run], bool]


@dataclass
class Fact:
    test: str  # ingest-file test file and test name
    fact: str
    check: Check | None = None
    why: str = ""  # why it cannot be checked


FACTS: list[Fact] = []


def fact(test: str, text: str, check: Check) -> None:
    FACTS.append(Fact(test, text, check))


def unchecked(test: str, text: str, why: str) -> None:
    FACTS.append(Fact(test, text, None, why))


def missing(test: str, fixture: str, *texts: str) -> None:
    for text in texts:
        unchecked(test, text, f"{fixture}: {parity.MISSING[fixture]}")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


NO_HTML_FIELD = "Docket keeps no separate HTML body (the message is kept byte for byte)"

# --- test_pdf.py -------------------------------------------------------------------------
T = "test_pdf.py::"
fact(
    T + "test_match",
    "readme.pdf is application/pdf",
    lambda r: r.show("readme.pdf")["mime"] == "application/pdf",
)
fact(
    T + "test_match_empty",
    "an empty .pdf is not taken for a PDF (Docket: type `empty`)",
    lambda r: r.show("empty.pdf")["type"] == "empty",
)
fact(
    T + "test_match_empty",
    "the empty file keeps its name",
    lambda r: r.show("empty.pdf")["path"][-1].endswith("empty.pdf"),
)
fact(
    T + "test_match_empty",
    "the empty file keeps its size, 0",
    lambda r: r.show("empty.pdf")["size"] == 0,
)
fact(
    T + "test_match_empty",
    "the empty file keeps its content hash",
    lambda r: r.show("empty.pdf")["sha256"] == EMPTY_SHA256,
)
fact(
    T + "test_match_empty",
    "the empty file has a MIME type",
    lambda r: bool(r.show("empty.pdf")["mime"]),
)
fact(
    T + "test_ingest_binary_mode",
    "a one-page PDF has 1 page",
    lambda r: r.meta("readme.pdf").get("pages") == 1,
)
fact(
    T + "test_ingest_binary_mode",
    "its page text holds the sentence",
    lambda r: parity.LINE in r.page("readme.pdf", 1),
)
fact(
    T + "test_ingest_binary_mode",
    "the sentence is in the index",
    lambda r: r.found(f'"{parity.LINE}"', "readme.pdf"),
)
fact(
    T + "test_ingest_noisy_fixture",
    "a 500-page PDF has 500 pages",
    lambda r: r.meta("500 pages.pdf").get("pages") == 500,
)
fact(
    T + "test_ingest_noisy_fixture",
    "its first page reads 'Hello, World! Hello, World!'",
    lambda r: squash(r.page("500 pages.pdf", 1)) == "Hello, World! Hello, World!",
)
BOOK = "very_complex_math_book.pdf"
fact(
    T + "test_ingest_complex_fixture",
    "a 588-page book has 588 pages",
    lambda r: r.meta(BOOK).get("pages") == 588,
)
for _s in ("ALGEBRA", "ABSTRACT AND CONCRETE", "Last revised on February 4, 2014."):
    fact(
        T + "test_ingest_complex_fixture",
        f"page 1 holds {_s!r}",
        lambda r, s=_s: s in r.page(BOOK, 1),
    )
for _s in parity.MATH_PAGE_TWO:
    fact(
        T + "test_ingest_complex_fixture",
        f"page 2 holds {_s[:40]!r}…",
        lambda r, s=_s: s in squash(r.page(BOOK, 2)),
    )
fact(
    T + "test_ingest_complex_fixture",
    "page 5's index text holds 'A Note to the Reader'",
    lambda r: r.found('"A Note to the Reader"', BOOK) and "A Note to the Reader" in r.page(BOOK, 5),
)
fact(
    T + "test_ingest_unicode_fixture",
    "a six-page German PDF has 6 pages",
    lambda r: r.meta("udhr_ger.pdf").get("pages") == 6,
)
fact(
    T + "test_ingest_unicode_fixture",
    "page 1 holds umlauts and ß as written",
    lambda r: "Würde und der gleichen und unveräußerlichen" in r.page("udhr_ger.pdf", 1),
)
fact(
    T + "test_ingest_protected",
    "a PDF with a user password is not read (Docket: `encrypted`)",
    lambda r: r.show("password-hunter2.pdf")["status"] == "encrypted",
)
fact(
    T + "test_ingest_protected",
    "its message says a password is needed",
    lambda r: "password" in (r.show("password-hunter2.pdf")["message"] or ""),
)
fact(T + "test_ingest_protected", "it has no text", lambda r: not r.text("password-hunter2.pdf"))
missing(
    T + "test_jbig2",
    "jbig2.pdf",
    "JBIG2 page 1 holds its sentence",
    "JBIG2 page 2 holds its sentence",
    "JBIG2 page 6 holds its sentence",
)
DOCX = "hello world word.docx"
fact(
    T + "test_pdf_conversion_metadata",
    "a .docx has the Word MIME type",
    lambda r: (
        r.show(DOCX)["mime"]
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
)
fact(
    T + "test_pdf_conversion_metadata",
    "its creation time is the document's own",
    lambda r: str(r.meta(DOCX).get("created", "")).startswith("2015-09-07T10:57:00"),
)
fact(
    T + "test_pdf_conversion_metadata",
    "its modification time is the document's own",
    lambda r: str(r.meta(DOCX).get("modified", "")).startswith("2015-10-05T08:57:00"),
)
MENU = "the-dorset-food-menu.pdf"
fact(
    T + "test_pdf_letter_spacing",
    "a letter-spaced two-page menu has 2 pages",
    lambda r: r.meta(MENU).get("pages") == 2,
)
for _n, _ss in (
    (
        1,
        ["served with marinated olives", "made with vegetarian ingredients", "triple-cooked chips"],
    ),
    (
        2,
        [
            "burger",
            "triple-cooked chips £4.0",
            "01273605423",
            "bookings@thedorset.co.uk",
            "www.instagram.com/thedorsetbtn/",
        ],
    ),
):
    for _s in _ss:
        fact(
            T + "test_pdf_letter_spacing",
            f"letter-spaced page {_n} holds {_s!r}",
            lambda r, n=_n, s=_s: s in r.page(MENU, n).lower(),
        )
for _n, _s in enumerate(
    [
        "Da die Anerkennung der angeborenen Würde",
        "Jeder hat Anspruch auf alle in dieser Erklärung verkündeten Rechte und Freiheiten",
        "Jeder hat das Recht, jedes Land, einschließlich seines eigenen, zu verlassen",
        "Eine Ehe darf nur bei freier und uneingeschränkter Willenseinigung der künftigen",
        "Jeder hat das Recht auf Erholung und Freizeit und insbesondere auf eine vernünftige",
        "Erklärung verkündeten Rechte und Freiheiten zum Ziel hat.",
    ],
    1,
):
    fact(
        T + "test_ingest_index_text",
        f"page {_n}'s text is found in the index",
        lambda r, s=_s: r.found(f'"{s}"', "udhr_ger.pdf"),
    )
fact(
    T + "test_ingest_pdf_ocr_greek",
    "a two-page scanned PDF has 2 pages",
    lambda r: r.meta("greek.pdf").get("pages") == 2,
)
fact(
    T + "test_ingest_pdf_ocr_greek",
    "OCR of its page 1 reads 'IRIDECEA HOLDINGS LIMITED'",
    lambda r: "IRIDECEA HOLDINGS LIMITED" in r.page("greek.pdf", 1),
)
for _n, _s in enumerate(parity.NORMALISED, 1):
    fact(
        T + "test_ingest_pdf_normalized",
        f"page {_n} written with no-break spaces holds {_s!r}",
        lambda r, n=_n, s=_s: s in r.page("106972554.pdf", n),
    )
fact(
    T + "test_ingest_pdf_metadata",
    "the PDF's title is read",
    lambda r: (
        r.meta("udhr_ger.pdf").get("title")
        == "Resolution 217 A (III) der Generalversammlung vom 10"
    ),
)
fact(
    T + "test_ingest_pdf_metadata",
    "the PDF's author is read",
    lambda r: r.meta("udhr_ger.pdf").get("author") == "OHCHR",
)
XMP = "xmp-meta.pdf"
fact(
    T + "test_ingest_pdf_xmp_metadata",
    "the title is read from XMP",
    lambda r: r.meta(XMP).get("title") == "XMP Specification Part 2: Additional Properties",
)
fact(
    T + "test_ingest_pdf_xmp_metadata",
    "the author is read from XMP",
    lambda r: "Adobe Systems Incorporated" in str(r.meta(XMP).get("author", "")),
)
fact(
    T + "test_ingest_pdf_xmp_metadata",
    "the creation time is read from XMP",
    lambda r: str(r.meta(XMP).get("created", "")).startswith("2022-02-21T11:04:24"),
)
fact(
    T + "test_ingest_pdf_xmp_metadata",
    "the XMP document id is kept",
    lambda r: "uuid:2787bba1-e336-4796-830c-a96ae8465299" in json.dumps(r.meta(XMP)),
)
fact(
    T + "test_pdf_type3_fonts",
    "a nine-page PDF in Type 3 fonts has 9 pages",
    lambda r: r.meta("example.pdf").get("pages") == 9,
)
fact(
    T + "test_pdf_type3_fonts",
    "page 8 (no usable text layer) reads its three codes",
    lambda r: all(c in r.page("example.pdf", 8) for c in parity.TYPE3_CODES),
)

# --- test_msg.py -------------------------------------------------------------------------
T = "test_msg.py::"
TB = "testThunderbirdEml.eml"
fact(T + "test_thunderbird", "a Thunderbird message is read", lambda r: r.ok(TB))
fact(
    T + "test_thunderbird",
    "its subject is kept",
    lambda r: r.meta(TB).get("subject") == "JUnit test message",
)
fact(T + "test_thunderbird", "its body is read", lambda r: "Dear Vladimir" in r.text(TB))
fact(T + "test_naumann", "an Outlook .msg is read", lambda r: r.ok("fnf.msg"))
fact(
    T + "test_naumann",
    "its subject is kept",
    lambda r: "Innovationskongress" in r.meta("fnf.msg").get("subject", ""),
)
fact(
    T + "test_naumann",
    "its body is read (fixture: a plain body; the CFB writer has no HTML)",
    lambda r: "freiheit.org" in "\n".join(r.body("fnf.msg")),
)
fact(T + "test_naumann", "it is an e-mail", lambda r: r.show("fnf.msg")["type"] == "msg")
fact(T + "test_mbox", "an mbox is read", lambda r: r.ok("plan.mbox"))
fact(
    T + "test_mbox",
    "its messages are its children (a package)",
    lambda r: len(r.children("plan.mbox")) == 2,
)
B64 = "email_base64.eml"
fact(T + "test_base64", "a base64 body is read", lambda r: r.ok(B64))
fact(
    T + "test_base64",
    "the body is exactly the decoded text",
    lambda r: r.body(B64) == ["Base64 email payload"],
)
ALT = "email_multipart_alternative.eml"
fact(
    T + "test_multipart_alternative", "a multipart/alternative message is read", lambda r: r.ok(ALT)
)
fact(
    T + "test_multipart_alternative",
    "its body is the plain-text alternative",
    lambda r: r.body(ALT) == ["This is a **multipart/alternative** message."],
)
unchecked(T + "test_multipart_alternative", "its HTML body is the HTML alternative", NO_HTML_FIELD)
MIX = "email_multipart_mixed.eml"
MIX_PARTS = [
    "This is the first part (plaintext)",
    "This is the second part (HTML)",
    "This is the third part (plaintext)",
    "This is the fourth part (HTML)",
]
fact(T + "test_multipart_mixed", "a multipart/mixed message is read", lambda r: r.ok(MIX))
fact(
    T + "test_multipart_mixed",
    "every text and HTML part is in the body, in order",
    lambda r: r.body(MIX) == MIX_PARTS,
)
unchecked(T + "test_multipart_mixed", "every part is in the HTML body", NO_HTML_FIELD)
NEST = "email_multipart_nested.eml"
fact(T + "test_multipart_nested", "a nested multipart message is read", lambda r: r.ok(NEST))
fact(
    T + "test_multipart_nested",
    "its body is the nested plain alternative, then the second part",
    lambda r: r.body(NEST) == ["This is the **first** part", "This is the second part"],
)
unchecked(T + "test_multipart_nested", "its HTML body holds both parts", NO_HTML_FIELD)
ENC = "email_encode_markup.eml"
fact(
    T + "test_plaintext_encode_markup",
    "a plain-text message holding markup is read",
    lambda r: r.ok(ENC),
)
fact(
    T + "test_plaintext_encode_markup",
    "the markup in a plain-text body is kept as text",
    lambda r: "it contains some <strong>HTML markup</strong>." in "\n".join(r.body(ENC)),
)
unchecked(T + "test_plaintext_encode_markup", "its HTML body escapes the markup", NO_HTML_FIELD)
STRIP = "email_strip_markup.eml"
fact(T + "test_html_strip_markup", "an HTML-only message is read", lambda r: r.ok(STRIP))
fact(
    T + "test_html_strip_markup",
    "its body is the HTML's text, markup stripped",
    lambda r: r.body(STRIP) == ["This is the body of an HTML message."],
)
unchecked(T + "test_html_strip_markup", "its HTML body keeps the markup", NO_HTML_FIELD)
for _name in ("email_attached_plaintext.eml", "email_attached_alternative.eml"):
    fact(T + "test_attached_email", f"{_name} is read", lambda r, n=_name: r.ok(n))
    fact(
        T + "test_attached_email",
        f"{_name}'s body is its own, not the attached message's",
        lambda r, n=_name: r.body(n) == [parity.OUTER_BODY],
    )
INL = "email_attached_inline.eml"


def _inline_text(r: Run) -> str:
    return r.text(INL) + "\n" + "\n".join(r.text(c) for c in r.children(INL))


fact(
    T + "test_attached_inline_email",
    "a message with an inline message is read",
    lambda r: r.ok(INL),
)
fact(
    T + "test_attached_inline_email",
    "its own body is read",
    lambda r: parity.OUTER_BODY in "\n".join(r.body(INL)),
)
fact(
    T + "test_attached_inline_email",
    "the inline message's headers are read",
    lambda r: "Subject: Plaintext only" in _inline_text(r),
)
fact(
    T + "test_attached_inline_email",
    "the inline message's body is read",
    lambda r: "This is the body of a plaintext message." in _inline_text(r),
)
fact(
    T + "test_attachment_queued_once",
    "a .msg's one attachment is one child, by its name",
    lambda r: r.children("fnf.msg") == ["fnf.msg/7b2fd116582e4b66be0451b4755fff1d.png"],
)
fact(
    T + "test_nested_message_not_flattened",
    "an attached message is the only child; its image is under it, not beside it",
    lambda r: (
        r.children("email_nested_attachment.eml") == ["email_nested_attachment.eml/inner.eml"]
        and r.children("email_nested_attachment.eml/inner.eml")
        == ["email_nested_attachment.eml/inner.eml/photo.png"]
    ),
)

# --- test_emlx.py ------------------------------------------------------------------------
T = "test_emlx.py::"
fact(
    T + "test_plaintext", "a plain-text Apple Mail .emlx is read", lambda r: r.ok("plaintext.emlx")
)
fact(
    T + "test_plaintext",
    "its subject is kept",
    lambda r: r.meta("plaintext.emlx").get("subject") == "Re: Emlx library",
)
fact(T + "test_plaintext", "its body is read", lambda r: "Python" in r.text("plaintext.emlx"))
fact(T + "test_richtext", "an HTML .emlx is read", lambda r: r.ok("richtext.emlx"))
fact(
    T + "test_richtext",
    "its subject is kept",
    lambda r: "Emlx library" in r.meta("richtext.emlx").get("subject", ""),
)
fact(
    T + "test_richtext",
    "its HTML body's text is read",
    lambda r: "Python" in "\n".join(r.body("richtext.emlx")),
)
fact(T + "test_richtext", "it is an e-mail", lambda r: r.show("richtext.emlx")["type"] == "emlx")

# --- test_image.py, test_tiff.py -----------------------------------------------------------
T = "test_image.py::"
fact(
    T + "test_match",
    "an SVG is image/svg+xml",
    lambda r: r.show("image.svg")["mime"] == "image/svg+xml",
)
fact(T + "test_ingest_on_svg", "the SVG's text is read", lambda r: "TEST" in r.text("image.svg"))
fact(T + "test_ingest_on_svg", "the SVG is read", lambda r: r.ok("image.svg"))
for _name, _mime, _s in (
    ("regression_jpg.jpg", "image/jpeg", "Debian -- Packages"),
    ("regression_gif.gif", "image/gif", "This is text inside a GIF image"),
    ("regression_tiff.tiff", "image/tiff", "Debian -- Packages"),
    ("regression_webp.webp", "image/webp", "Debian -- Packages"),
    ("regression_openjpeg.jp2", "image/jp2", "Debian -- Packages"),
):
    _kind = _name.rsplit(".", 1)[1]
    fact(
        T + "test_tesseract_ocr_regression",
        f"OCR of a {_kind} reads {_s!r}",
        lambda r, n=_name, s=_s: s in r.text(n),
    )
    fact(
        T + "test_tesseract_ocr_regression",
        f"the {_kind} is {_mime}",
        lambda r, n=_name, m=_mime: r.show(n)["mime"] == m,
    )
    fact(T + "test_tesseract_ocr_regression", f"the {_kind} is read", lambda r, n=_name: r.ok(n))
T = "test_tiff.py::"
TIF = "multipage_tiff_example.tif"
fact(
    T + "test_match",
    "a multi-page TIFF is image/tiff",
    lambda r: r.show(TIF)["mime"] == "image/tiff",
)
fact(T + "test_match", "the multi-page TIFF is read", lambda r: r.ok(TIF))
fact(
    T + "test_match",
    "each of its 10 pages is a page",
    lambda r: r.meta(TIF).get("pages") == 10 and all(r.page(TIF, n) for n in range(1, 11)),
)
fact(
    T + "test_match",
    "each page's OCR text is its own ('Page N of the scanned batch')",
    lambda r: all(f"Page {n} of the scanned batch" in r.page(TIF, n) for n in range(1, 11)),
)
fact(
    T + "test_ingest_tiff_format", "a one-page TIFF is read", lambda r: r.ok("hello_world_tiff.tif")
)
fact(
    T + "test_ingest_tiff_format",
    "its OCR text is exactly 'HELLO WORLD'",
    lambda r: r.text("hello_world_tiff.tif").strip() == "HELLO WORLD",
)

# --- test_djvu.py (skipped upstream) -------------------------------------------------------
T = "test_djvu.py::test_match (skipped upstream)"
DJ = "Test_rs20846.djvu"
fact(T, "a DjVu document is image/vnd.djvu", lambda r: r.show(DJ)["mime"] == "image/vnd.djvu")
fact(T, "its 11 pages are pages", lambda r: r.meta(DJ).get("pages") == 11)
fact(T, "page 1 holds 'Executive Orders'", lambda r: "Executive Orders" in r.page(DJ, 1))

# --- test_doc.py ---------------------------------------------------------------------------
T = "test_doc.py::"
fact(
    T + "test_match",
    "a .docx has the Word MIME type",
    lambda r: (
        r.show(DOCX)["mime"]
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
)
missing(
    T + "test_ingest_word_doc",
    "doc.doc",
    "a Word 97 document's text is read",
    "its bookmark text is read",
    "its bookmark text is in the index",
)
missing(
    T + "test_ingest_presentation_doc",
    "slides.ppt",
    "a PowerPoint 97 slide's text is read",
    "its date field is read",
)
fact(
    T + "test_ingest_encrypted_doc",
    "a password-protected ODT is not read (Docket: `encrypted`)",
    lambda r: r.show("encypted_by_libreoffice.odt")["status"] == "encrypted",
)
fact(
    T + "test_ingest_odt_fail",
    "an ODT's words are read",
    lambda r: (
        "graphomaniac Talpa Deuteronomical tubber johannite"
        in r.text("rand-1670433101.440986000.odt")
    ),
)
fact(T + "test_ingest_noisy_doc", "an ODT is read", lambda r: r.ok("Plan.odt"))
fact(
    T + "test_ingest_noisy_doc",
    "its text is read",
    lambda r: "We should paint graffiti on all corners" in r.text("Plan.odt"),
)

# --- test_tabular.py, test_csv.py, test_dbf.py, test_access.py -----------------------------
T = "test_tabular.py::"
fact(T + "test_simple_xlsx", "an .xlsx is read", lambda r: r.ok("file.xlsx"))
fact(
    T + "test_simple_xlsx",
    "its two sheets are sheets",
    lambda r: len(r.meta("file.xlsx").get("sheets", [])) == 2,
)
fact(
    T + "test_simple_xlsx",
    "a sheet is named Sheet1",
    lambda r: "Sheet1" in r.meta("file.xlsx").get("sheets", []),
)
fact(
    T + "test_simple_xlsx",
    "Sheet1 has its 2 rows",
    lambda r: r.meta("file.xlsx").get("rows", {}).get("Sheet1") == 2,
)
fact(
    T + "test_simple_xlsx",
    "a cell's text is read",
    lambda r: "Mihai Viteazul" in "\n".join(r.parts("file.xlsx", "sheet", "Sheet1")),
)
fact(
    T + "test_xlsx_with_wrong_extension",
    "an .xlsx named .bin is read",
    lambda r: r.ok("disguised_xlsx.bin") and r.show("disguised_xlsx.bin")["type"] == "xlsx",
)
fact(
    T + "test_xlsx_with_wrong_extension",
    "with its two sheets",
    lambda r: len(r.meta("disguised_xlsx.bin").get("sheets", [])) == 2,
)
fact(
    T + "test_xlsx_metadata", "a workbook with properties is read", lambda r: r.ok("metadata.xlsx")
)
fact(
    T + "test_xlsx_metadata",
    "its title is read",
    lambda r: r.meta("metadata.xlsx").get("title") == "Spreadsheet with Metadata",
)
fact(
    T + "test_xlsx_metadata",
    "its creation time is read",
    lambda r: str(r.meta("metadata.xlsx").get("created", "")).startswith("2026-06-23"),
)
fact(
    T + "test_xlsx_metadata",
    "its modification time is read",
    lambda r: str(r.meta("metadata.xlsx").get("modified", "")).startswith("2026-06-23"),
)
missing(
    T + "test_unicode_xls",
    "rom.xls",
    "an .xls is read",
    "its Cyrillic sheet name is kept",
    "its author is read",
    "its application is read",
    "its creation time is read",
    "its modification time is read",
)
ODS = "rom.ods"
fact(T + "test_unicode_ods", "an .ods is read", lambda r: r.ok(ODS))
fact(
    T + "test_unicode_ods",
    "its Cyrillic sheet name is kept",
    lambda r: "Лист1" in r.meta(ODS).get("sheets", []),
)
fact(
    T + "test_unicode_ods",
    "its author is read",
    lambda r: r.meta(ODS).get("author") == "Microsoft Office User",
)
fact(
    T + "test_unicode_ods",
    "its generator is read",
    lambda r: str(r.meta(ODS).get("application", "")).startswith("LibreOffice"),
)
fact(
    T + "test_unicode_ods",
    "its creation time is read",
    lambda r: str(r.meta(ODS).get("created", "")).startswith("2011-06-09"),
)
fact(
    T + "test_unicode_ods",
    "the sheet has its 338 rows",
    lambda r: r.meta(ODS).get("rows", {}).get("Лист1") == 338,
)
fact(T + "test_unicode_ods", "its Romanian text is read", lambda r: "Tip procedură" in r.text(ODS))
PX = "password_protected.xlsx"
fact(
    T + "test_password_protected_xlsx",
    "an encrypted .xlsx is not read (Docket: `encrypted`)",
    lambda r: r.show(PX)["status"] == "encrypted",
)
fact(
    T + "test_password_protected_xlsx",
    "its message says it is password-protected",
    lambda r: "password" in (r.show(PX)["message"] or ""),
)
missing(
    T + "test_password_protected_xls",
    "password_protected.xls",
    "an encrypted .xls is not read",
    "its message says it is password-protected",
)
missing(
    T + "test_xlsb",
    "testbin.xlsb",
    "an .xlsb is read",
    "its one sheet is Sheet1",
    "a cell's text is read",
)
T = "test_csv.py::"
fact(T + "test_simple_csv", "a CSV is read", lambda r: r.ok("countries.csv"))
fact(
    T + "test_simple_csv",
    "its 256 records are counted (Docket: 257 rows with the header)",
    lambda r: r.meta("countries.csv").get("rows") == 257,
)
fact(
    T + "test_inconsistent_columns_csv",
    "a CSV with uneven rows is read",
    lambda r: r.ok("inconsistent_columns.csv"),
)
fact(
    T + "test_inconsistent_columns_csv",
    "the cell beyond the header's columns is kept",
    lambda r: "extra cell" in r.text("inconsistent_columns.csv"),
)
fact(T + "test_nonutf_csv", "a Latin-1 CSV is read", lambda r: r.ok("countries_nonutf.csv"))
fact(
    T + "test_nonutf_csv",
    "its 21 records are counted (22 rows with the header)",
    lambda r: r.meta("countries_nonutf.csv").get("rows") == 22,
)
T = "test_dbf.py::test_simple_dbf"
fact(T, "a dBase table is read", lambda r: r.ok("PAK_adm1.dbf"))
fact(T, "its 9 records are counted", lambda r: r.meta("PAK_adm1.dbf").get("rows") == 9)
fact(T, "a record's text is read", lambda r: "Azad Kashmir" in r.text("PAK_adm1.dbf"))
fact(T, "another field's text is read", lambda r: "Pakistan" in r.text("PAK_adm1.dbf"))
missing(
    "test_access.py::test_simple_access",
    "Books_be.mdb",
    "an Access database is read",
    "its table Authors is a sheet",
    "the table has its 3 rows",
)

# --- test_audio.py, test_video.py, test_transcription.py -----------------------------------
T = "test_audio.py::test_audio"
M4A = "memo.m4a"
fact(T, "an .m4a voice memo is read", lambda r: r.ok(M4A))
fact(T, "its title is read", lambda r: r.meta(M4A).get("title") == "Core Media Audio")
fact(
    T,
    "its generator is read",
    lambda r: r.meta(M4A).get("application") == "com.apple.VoiceMemos (iOS 11.4)",
)
fact(
    T,
    "its recording time is read",
    lambda r: str(r.meta(M4A).get("created", "")).startswith("2018-06-20T12:09:28"),
)
fact(T, "its duration is read (2.808 s)", lambda r: r.meta(M4A).get("duration") == 2.808)
fact(T, "its sampling rate is read", lambda r: r.meta(M4A).get("sample_rate") == 44100)
fact(T, "it is audio", lambda r: r.show(M4A)["type"] == "audio")
T = "test_video.py::test_video"
MP4 = "big_buck_bunny.mp4"
fact(T, "an MP4 video is read", lambda r: r.ok(MP4))
fact(T, "its title is read", lambda r: "Hinted Video Track" in str(r.meta(MP4).get("title")))
fact(
    T,
    "its creation time is read",
    lambda r: str(r.meta(MP4).get("created", "")).startswith("2010-02-09T01:55:39"),
)
fact(T, "its duration is read (60.095 s)", lambda r: r.meta(MP4).get("duration") == 60.095)
fact(T, "it is video", lambda r: r.show(MP4)["type"] == "video")
missing(
    "test_transcription.py (skipped upstream)",
    "AddressfromFrance.mp3",
    "a recorded speech is read (ingest-file transcribes it; Docket does not)",
    "the transcript holds the speech's sentence",
)

# --- test_packages.py, test_archives.py, test_directory.py ---------------------------------
T = "test_packages.py::"
for _kind in ("zip", "rar", "tar"):
    _name = f"test-documents.{_kind}"
    fact(
        T + f"test_{_kind}",
        f"a {_kind} archive is read as one",
        lambda r, n=_name, k=_kind: r.ok(n) and r.show(n)["type"] == k,
    )
    fact(
        T + f"test_{_kind}",
        f"the {_kind}'s members are its children (a package)",
        lambda r, n=_name: len(r.children(n)) == 2,
    )
P7 = "500_pages_password.7z"
fact(
    T + "test_password_protected_7z",
    "an encrypted 7z is not read (Docket: `encrypted`)",
    lambda r: r.show(P7)["status"] == "encrypted",
)
fact(
    T + "test_password_protected_7z",
    "its message says it is password-protected",
    lambda r: (
        "encrypted" in (r.show(P7)["message"] or "") or "password" in (r.show(P7)["message"] or "")
    ),
)
T = "test_archives.py::"
fact(
    T + "test_7z_archive",
    "a 7z is application/x-7z-compressed",
    lambda r: r.show("500_pages.7z")["mime"] == "application/x-7z-compressed",
)
fact(T + "test_7z_archive", "the 7z is read", lambda r: r.ok("500_pages.7z"))
fact(
    T + "test_7z_archive_fragment",
    "the first of two 7z fragments is a 7z",
    lambda r: r.show("500_pages.7z.001")["mime"] == "application/x-7z-compressed",
)
fact(
    T + "test_7z_archive_fragment",
    "the lone fragment fails, with a reason",
    lambda r: (
        r.show("500_pages.7z.001")["status"] == "failed"
        and bool(r.show("500_pages.7z.001")["message"])
    ),
)
fact(
    "test_directory.py::test_normal_directory",
    "a folder's file is an item, the folder in its path",
    lambda r: (
        r.ok("testdir/test.txt")
        if "testdir/test.txt" in r.by_name
        else any(i["path"][0].endswith("testdir/test.txt") and i["status"] == "ok" for i in r.items)
    ),
)

# --- test_html.py, test_text.py, test_jsonfile.py, test_ftm.py -----------------------------
T = "test_html.py::"
fact(
    T + "test_match",
    "an HTML page is text/html",
    lambda r: r.show("doc.html")["mime"] == "text/html",
)
fact(
    T + "test_ingest_on_unicode_file",
    "its visible text is read",
    lambda r: squash(r.text("doc.html")) == "Ingestors Test web page. The GitHub page.",
)
fact(
    T + "test_ingest_on_unicode_file",
    "its title is read",
    lambda r: r.meta("doc.html").get("title") == "Ingestors Title",
)
fact(
    T + "test_ingest_on_unicode_file",
    "its description is read",
    lambda r: r.meta("doc.html").get("description") == "Ingestors description",
)
fact(
    T + "test_ingest_on_unicode_file",
    "its keywords are read",
    lambda r: (
        {k.strip() for k in str(r.meta("doc.html").get("keywords", "")).split(",")}
        == {"ingestors", "key", "words", "news"}
    ),
)
EDRM = "EDRM Micro Datasets « EDRM.htm"
fact(
    T + "test_ingest_extra_fixture",
    "a saved web page's text is read",
    lambda r: "Creating Practical Resources to Improve E-Discovery" in r.text(EDRM),
)
fact(
    T + "test_ingest_extra_fixture",
    "its title with « is read",
    lambda r: r.meta(EDRM).get("title") == "EDRM Micro Datasets \xab EDRM",
)
fact(
    T + "test_ingest_extra_fixture",
    "no description is invented",
    lambda r: not r.meta(EDRM).get("description"),
)
fact(
    T + "test_ingest_extra_fixture",
    "no keywords are invented",
    lambda r: not r.meta(EDRM).get("keywords"),
)
fact(T + "test_ingest_extra_fixture", "it is read", lambda r: r.ok(EDRM))
EH = "empty_5_doc_pages.html"
fact(T + "test_ingest_empty", "an empty page has no text", lambda r: not r.text(EH).strip())
fact(T + "test_ingest_empty", "nor a title", lambda r: not r.meta(EH).get("title"))
fact(T + "test_ingest_empty", "nor keywords", lambda r: not r.meta(EH).get("keywords"))
fact(T + "test_ingest_empty", "and is read", lambda r: r.ok(EH))
T = "test_text.py::"
fact(
    T + "test_match",
    "a UTF-8 text is text/plain",
    lambda r: r.show("utf.txt")["mime"] == "text/plain",
)
fact(
    T + "test_match",
    "its text is exactly what was written",
    lambda r: (
        unicodedata.normalize("NFKD", r.text("utf.txt").strip())
        == unicodedata.normalize("NFKD", "Îș unî©ođ€.")
    ),
)
fact(T + "test_match", "it is read", lambda r: r.ok("utf.txt"))
fact(
    T + "test_ingest_binary_mode",
    "a Latin-1 text is decoded",
    lambda r: "größter" in r.text("non_utf.txt"),
)
fact(
    T + "test_ingest_extra_fixture",
    "a long German text is read",
    lambda r: bool(r.text("udhr_ger.txt")),
)
T = "test_jsonfile.py::test_match"
fact(
    T,
    "a JSON file's string values are read",
    lambda r: "Golden State Warriros" in r.text("example_2.json"),
)
fact(
    T, "its numbers are read", lambda r: re.search(r"\b10\b", r.text("example_2.json")) is not None
)
T = "test_ftm.py::test_match"
fact(
    T,
    "a FollowTheMoney entity file is recognised as such (application/json+ftm)",
    lambda r: r.show("ofac.json")["mime"] == "application/json+ftm",
)
fact(T, "its 10 entities become entities", lambda r: len(r.show("ofac.json")["entities"]) == 10)

# --- test_calendar.py, test_vcard.py -------------------------------------------------------
T = "test_calendar.py::"
fact(
    T + "test_match",
    "a calendar's event is read",
    lambda r: "Data journalism meetup" in r.text("meetup.ics"),
)
fact(
    T + "test_match",
    "its organiser and attendee are people",
    lambda r: {"Jane Organiser", "Max Mustermann"} <= set(r.mentions("meetup.ics", "person")),
)
fact(
    T + "test_match",
    "their addresses are read",
    lambda r: (
        {"jane.organiser@example.org", "max@example.org"} <= set(r.mentions("meetup.ics", "email"))
    ),
)
fact(
    T + "test_event_without_addresses",
    "an event with no addresses is read",
    lambda r: r.ok("event.ical"),
)
fact(
    T + "test_event_without_addresses",
    "its name is read",
    lambda r: "Abraham Lincoln" in r.text("event.ical"),
)
fact(
    T + "test_event_without_addresses",
    "no organiser address is invented",
    lambda r: not r.mentions("event.ical", "email"),
)
T = "test_vcard.py::"
fact(T + "test_john_doe", "a vCard is read", lambda r: r.ok("john-doe.vcf"))
fact(
    T + "test_john_doe",
    "its person is found",
    lambda r: "John Doe" in r.mentions("john-doe.vcf", "person"),
)
fact(
    T + "test_john_doe",
    "the phone number is normalised to +17815551212",
    lambda r: "+17815551212" in r.mentions("john-doe.vcf", "phone"),
)
QP = "multiline_quoted_printable.vcf"
fact(T + "test_multiline_quoted_printable", "a quoted-printable vCard is read", lambda r: r.ok(QP))
fact(
    T + "test_multiline_quoted_printable",
    "its folded quoted-printable name is decoded",
    lambda r: "Max Müüüüüller" in r.text(QP),
)
fact(
    T + "test_multiline_quoted_printable",
    "its e-mail address is read",
    lambda r: "max.mueller@example.org" in r.mentions(QP, "email"),
)

# --- test_outlookpst.py, test_olm.py -------------------------------------------------------
missing(
    "test_outlookpst.py::test_match",
    "testPST.pst",
    "an Outlook PST is read",
    "its messages are its children (a package)",
)
missing(
    "test_olm.py::test_mbox (skipped upstream)",
    "bill_rapp.olm",
    "an Outlook for Mac archive is read",
    "its e-mails are children",
    "an e-mail's subject is kept",
)

# --- beyond ingest-file: the same encrypted fixtures opened with --passwords ---------------
BEYOND: list[Fact] = [
    Fact(
        "--passwords",
        "the PDF a password opens is read",
        lambda r: (
            r.ok("password-hunter2.pdf") and "secret minutes" in r.text("password-hunter2.pdf")
        ),
    ),
    Fact(
        "--passwords",
        "the .xlsx a password opens is read",
        lambda r: r.ok(PX) and "زيد بن علي" in r.text(PX),
    ),
    Fact(
        "--passwords",
        "the 7z a password opens gives its member",
        lambda r: r.ok(P7) and r.ok(P7 + "/500 pages.pdf"),
    ),
    Fact(
        "--passwords",
        "which line opened it is recorded, never the password",
        lambda r: (
            r.meta("password-hunter2.pdf").get("decrypted", {}).get("line") == 2
            and parity.PASSWORD not in json.dumps(r.meta("password-hunter2.pdf")["decrypted"])
        ),
    ),
]


def judge(facts: list[Fact], run: Run) -> list[tuple[Fact, str, str]]:
    out = []
    for f in facts:
        if f.check is None:
            out.append((f, UNCHECKABLE, f.why))
            continue
        try:
            verdict = MET if f.check(run) else NOT_MET
            note = ""
        except Exception as exc:  # a missing item or field is a fact not met, with why
            verdict, note = NOT_MET, f"{type(exc).__name__}: {exc}"
        out.append((f, verdict, note))
    return out


def ingest(case: Path, source: Path, *extra: str) -> None:
    cmd = [sys.executable, "-m", "docket", "--case", str(case), "ingest", str(source)]
    subprocess.run([*cmd, "--jobs", "2", *extra], check=True, capture_output=True, timeout=900)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, help="build the fixtures and case here and keep them")
    ap.add_argument(
        "--markdown", action="store_true", help="print the Markdown summary kept in docs/formats.md"
    )
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="docket-parity-"))
    try:
        source, case = root / "ingest-file", root / "case"
        shutil.rmtree(source, ignore_errors=True)
        shutil.rmtree(case, ignore_errors=True)
        parity.write_all(source)
        ingest(case, source)
        run = Run(case)
        results = judge(FACTS, run)
        pw = root / "passwords.txt"
        pw.write_text(f"not-it\n{parity.PASSWORD}\n")
        ingest(case, source, "--passwords", str(pw))
        run.refresh()
        beyond = judge(BEYOND, run)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    report(results, beyond, markdown=args.markdown)


def report(
    results: list[tuple[Fact, str, str]], beyond: list[tuple[Fact, str, str]], *, markdown: bool
) -> None:
    met = sum(v == MET for _, v, _ in results)
    checkable = sum(v != UNCHECKABLE for _, v, _ in results)
    if markdown:
        markdown_summary(results, beyond)
    else:
        for f, verdict, note in results + beyond:
            print(f"{verdict:13}  {f.test:55}  {f.fact}" + (f"  [{note}]" if note else ""))
    print(
        f"\n{met} of {checkable} checkable facts met "
        f"({len(results) - checkable} of {len(results)} not checkable here); "
        f"beyond ingest-file, with --passwords: {sum(v == MET for _, v, _ in beyond)} of {len(beyond)}"
    )


def markdown_summary(
    results: list[tuple[Fact, str, str]], beyond: list[tuple[Fact, str, str]]
) -> None:
    """For docs/formats.md: facts by ingest-file test file, then each fact not met and
    why facts cannot be checked."""
    files: dict[str, list[str]] = {}
    for f, verdict, _ in results:
        files.setdefault(f.test.split("::")[0].split(" ")[0], []).append(verdict)
    print("| ingest-file tests | facts | met | not met | not checkable |")
    print("|---|---|---|---|---|")
    for name, verdicts in files.items():
        counts = [verdicts.count(v) for v in (MET, NOT_MET, UNCHECKABLE)]
        print(f"| `{name}` | {len(verdicts)} | " + " | ".join(map(str, counts)) + " |")
    print("\nNot met:")
    for f, verdict, note in results + beyond:
        if verdict == NOT_MET:
            print(f"- `{f.test}`: {f.fact}" + (f" ({note})" if note else ""))
    print("\nNot checkable:")
    reasons: dict[str, int] = {}
    for _, verdict, note in results:
        if verdict == UNCHECKABLE:
            reasons[note] = reasons.get(note, 0) + 1
    for note, n in reasons.items():
        print(f"- {n} fact{'s' * (n > 1)}: {note}")


if __name__ == "__main__":
    main()
