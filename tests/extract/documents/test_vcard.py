"""vCard address books: 3.0 with Arabic names, 2.1 with folded quoted-printable values in
a declared charset, several contacts, grouped properties; a file with no complete card."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import text_of
from tests.helpers import docket, docket_json, docket_lines

ARABIC = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:النعيمي;أبو عمار;;;\r\nFN:أبو عمار النعيمي\r\n"
    "ORG:الكتيبة الشمالية;المالية\r\nitem1.EMAIL;type=INTERNET:abu.ammar@example.org\r\n"
    "TEL;type=CELL:+964 770 123 4567\r\nNOTE:مسؤول الرواتب\\, الفرع الشمالي\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;John;;;\r\nTEL:+1 781 555 1212\r\nEND:VCARD\r\n"
)
QP = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
    "M=C3=BC=C3=BCller;Max;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Max M=C3=BC=C3=BC=\r\n=C3=BCller\r\n"
    "NOTE;CHARSET=WINDOWS-1256;ENCODING=QUOTED-PRINTABLE:=C3=E1=DE\r\n"
    "EMAIL;INTERNET:max.mueller@example.org\r\nEND:VCARD\r\n"
)


def test_contacts_are_read_one_part_each(extract) -> None:
    result = extract(ARABIC.encode(), "contacts.vcf")
    assert (result.type, result.status) == ("vcard", "ok")
    assert result.metadata["contacts"] == 2
    assert [s.part for s in result.segments] == ["contact 1", "contact 2"]
    first = result.segments[0].text
    assert "Name: أبو عمار النعيمي" in first
    assert "Organisation: الكتيبة الشمالية, المالية" in first
    assert "E-mail: abu.ammar@example.org" in first
    assert "Note: مسؤول الرواتب, الفرع الشمالي" in first
    assert "Name parts" not in first  # FN given: N is not repeated
    assert "Name parts: John Doe" in result.segments[1].text


def test_folded_quoted_printable_values_are_decoded(extract) -> None:
    result = extract(QP.encode(), "max.vcf")
    assert "Name: Max Müüüller" in text_of(result)
    assert "Note: ألق" in text_of(result)  # cp1256 bytes under CHARSET=WINDOWS-1256
    assert "E-mail: max.mueller@example.org" in text_of(result)


def test_no_complete_card_is_corrupt(extract) -> None:
    result = extract(b"BEGIN:VCARD\r\nFN:Cut short\r\n", "cut.vcf")
    assert (result.status, result.code) == ("failed", "corrupt")


def test_a_vcard_through_the_cli_yields_its_people(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "contacts.vcf").write_bytes(ARABIC.encode())
    case = tmp_path / "case"
    docket("ingest", src, case=case)
    (item,) = docket_lines("list", case=case)
    shown = docket_json("show", item["id"], case=case)
    assert (shown["type"], shown["mime"]) == ("vcard", "text/vcard")
    phones = {m["value"] for m in shown["mentions"] if m["kind"] == "phone"}
    assert "+17815551212" in phones
