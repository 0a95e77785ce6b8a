"""SVG: typed ``image/svg+xml`` (not generic XML) and read for the words it shows."""

from __future__ import annotations

from tests.conftest import text_of

SVG = """<?xml version="1.0" encoding="UTF-8"?>
<!-- drawn by hand -->
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80">
  <title>Checkpoint map</title>
  <style>.t { font: 12px sans-serif; }</style>
  <script>alert("not text")</script>
  <text x="10" y="20" class="t">TEST route <tspan font-weight="bold">الطريق الشمالي</tspan></text>
  <rect x="0" y="0" width="5" height="5"/>
</svg>
"""


def test_svg_is_typed_and_read(extract):
    result = extract(SVG.encode(), "map.svg")
    assert (result.type, result.status) == ("svg", "ok"), result.message
    assert result.mime == "image/svg+xml"
    text = text_of(result)
    assert "TEST route" in text and "الطريق الشمالي" in text and "Checkpoint map" in text
    assert "font:" not in text and "alert" not in text
    assert result.metadata["root_element"] == "svg"


def test_svg_without_prolog_and_misnamed(extract):
    result = extract(b'<svg xmlns="http://www.w3.org/2000/svg"><text>hello</text></svg>', "x.xml")
    assert result.type == "svg" and text_of(result) == "hello"


def test_plain_xml_stays_xml(extract):
    assert extract(b"<?xml version='1.0'?><roster><svg>no</svg></roster>", "r.xml").type == "xml"


def test_broken_svg_and_entities_refused(extract):
    cut = extract(SVG.encode()[:120], "cut.svg")
    assert (cut.type, cut.status, cut.code) == ("svg", "failed", "corrupt"), cut.message
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg><text>&a;</text></svg>'
    assert extract(bomb, "bomb.svg").code == "xml-entities"
