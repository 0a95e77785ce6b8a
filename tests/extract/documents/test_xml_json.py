"""XML (entity expansion refused) and JSON / JSON Lines."""

from __future__ import annotations

import json
import time

from tests.conftest import text_of

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>"""

XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>"""


def test_xml_text(extract):
    data = '<?xml version="1.0" encoding="UTF-8"?><roster><person role="مقاتل">أبو عمار</person><unit>الكتيبة</unit></roster>'
    result = extract(data.encode(), "r.xml")
    assert result.status == "ok", result.message
    assert "أبو عمار" in text_of(result) and "الكتيبة" in text_of(result)
    assert result.metadata["root_element"] == "roster"


def test_billion_laughs_fails_fast(extract):
    start = time.monotonic()
    result = extract(BILLION_LAUGHS, "lol.xml")
    assert time.monotonic() - start < 1
    assert (result.status, result.code) == ("failed", "xml-entities")


def test_external_entity_refused(extract):
    result = extract(XXE, "xxe.xml")
    assert (result.status, result.code) == ("failed", "xml-entities")
    assert "root:" not in text_of(result)


def test_malformed_xml(extract):
    result = extract(b"<?xml version='1.0'?><a><b>text</a>", "bad.xml")
    assert result.status in ("failed", "partial") and result.code == "corrupt"


def test_json_strings_with_keys(extract):
    doc = {
        "letter": {"from": "أبو عمار النعيمي", "subject": "طلب تحويل", "amount": 500},
        "tags": ["x"],
    }
    result = extract(json.dumps(doc, ensure_ascii=False).encode(), "d.json")
    assert result.status == "ok", result.message
    text = text_of(result)
    assert "letter.from: أبو عمار النعيمي" in text
    assert "letter.amount: 500" in text


def test_json_lines(extract):
    lines = "\n".join(json.dumps({"name": n}, ensure_ascii=False) for n in ("عمار", "Omar", "زيد"))
    result = extract(lines.encode(), "d.jsonl")
    assert result.type == "json"
    assert result.metadata["json_lines"] is True
    assert "[3].name: زيد" in text_of(result)


def test_deeply_nested_json_does_not_crash(extract):
    result = extract(b"[" * 100_000 + b"]" * 100_000, "deep.json")
    assert result.status in ("ok", "failed", "partial")


def test_samples(extract, samples):
    folder = samples / "formats"
    assert "Chaucer" in text_of(extract(folder / "nothing_bad.xml"))
    for path in list(folder.glob("*.xml")) + list(folder.glob("*.json")):
        assert extract(path).status in ("ok", "partial", "failed")
