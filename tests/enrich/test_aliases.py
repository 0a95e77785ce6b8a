"""The aliases enricher: phrases, an e-mail's sender against its signature, and an
identifier on the same line as one person's name."""

from __future__ import annotations

from docket.enrich import patterns
from docket.enrich.aliases import enrich
from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.settings import Settings


def _result(*texts: str, **meta: object) -> ExtractResult:
    return ExtractResult("text", "text/plain", False, "ok", metadata=dict(meta),
                         segments=[Segment(t) for t in texts])  # fmt: skip


def _aliases(r: ExtractResult, kind: str = "alias") -> list[Mention]:
    enrich(r, Settings())
    return [m for m in r.mentions if m.kind == kind]


def test_phrase_mention_cites_both_names() -> None:
    text = "تقرير\nقام محمد عبد الكريم الحسن المكنى بأبي عبيدة الشامي بتسليم المبلغ"
    (m,) = _aliases(_result(text))
    assert m.method == "rule:alias-phrase" and text[m.start : m.end] == m.text == "أبي عبيدة الشامي"
    assert text[m.attrs["name_start"] : m.attrs["name_end"]] == m.attrs["name"]
    assert m.attrs["quote"] == "محمد عبد الكريم الحسن المكنى بأبي عبيدة الشامي"


def test_email_sender_against_signature() -> None:
    body = "The transfer is ready.\n\nRegards,\nTariq Mansour al-Warfalli\n"
    r = _result(body, **{"from": "Abu Suhaib al-Libi <suhaib@example.org>"})
    (m,) = _aliases(r)
    assert m.method == "rule:alias-signature" and m.attrs["name"] == "Abu Suhaib al-Libi"
    assert body[m.start : m.end] == "Tariq Mansour al-Warfalli"


def test_no_signature_when_the_sender_signs_his_own_name() -> None:
    r = _result(
        "Ready.\n\nRegards,\nAbu Suhaib al-Libi\n", **{"from": "Abu Suhaib al-Libi <s@x.org>"}
    )
    assert _aliases(r) == []
    r = _result(
        "Ready.\nSee you on Monday at the office.\n", **{"from": "Abu Suhaib al-Libi <s@x.org>"}
    )
    assert _aliases(r) == []


def test_letter_header_against_arabic_signature() -> None:
    text = (
        "من: أبو عبيدة الشامي\nإلى: أمير القاطع\n\nنرجو الإسراع.\n\nأخوكم\nمحمد عبد الكريم الحسن\n"
    )
    (m,) = _aliases(_result(text))
    assert m.attrs["name"] == "أبو عبيدة الشامي" and m.text == "محمد عبد الكريم الحسن"


def test_arabic_signature_after_a_sign_off() -> None:
    body = "القائمة جاهزة.\n\nمع التحية\nمازن سليمان الجبوري\n"
    (m,) = _aliases(_result(body, **{"from": "أبو مصعب الليبي <m@example.org>"}))
    assert m.text == "مازن سليمان الجبوري" and m.attrs["name"] == "أبو مصعب الليبي"
    # Without a sign-off, a last line of words that are not a name is no signature.
    assert (
        _aliases(
            _result("القائمة جاهزة.\nتم ذلك بعد الظهر\n", **{"from": "أبو مصعب الليبي <m@x.org>"})
        )
        == []
    )


def test_contact_line_needs_exactly_one_person() -> None:
    text = "Contact Abu Musab al-Tunisi on +218 91 234 5678 before noon."
    r = _result(text)
    patterns.enrich(r, Settings())
    r.mentions.append(
        Mention("person", "Abu Musab al-Tunisi", "Abu Musab al-Tunisi", 0, 8, 27, "t")
    )
    (m,) = _aliases(r, "contact")
    assert m.attrs == {"evidence": "contact", "name": "Abu Musab al-Tunisi", "id_kind": "phone",
                       "quote": text}  # fmt: skip
    r = _result(text.replace("before noon", "or Abu Hafs al-Masri"))
    patterns.enrich(r, Settings())
    r.mentions += [Mention("person", "Abu Musab al-Tunisi", "", 0, 8, 27, "t"),
                   Mention("person", "Abu Hafs al-Masri", "", 0, 51, 68, "t")]  # fmt: skip
    assert _aliases(r, "contact") == []
