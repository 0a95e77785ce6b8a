"""EPUB books and iCalendar files."""

from __future__ import annotations

from docket.demo.writers.documents import make_epub, make_ics
from tests.conftest import text_of


def test_epub_chapters_in_spine_order(extract):
    data = make_epub(
        [("الفصل الأول", ["من: أبو عمار النعيمي"]), ("Chapter two", ["English text <here>"])],
        title="مذكرات",
        author="أبو عمار",
        language="ar",
    )
    result = extract(data, "book.epub")
    assert result.status == "ok", result.message
    parts = [s.part for s in result.segments]
    assert parts == ["chapter 1", "chapter 2"]
    assert "من: أبو عمار النعيمي" in result.segments[0].text
    assert "English text <here>" in result.segments[1].text
    assert result.metadata["title"] == "مذكرات"
    assert result.metadata["author"] == "أبو عمار"
    assert result.metadata["language"] == "ar"


def test_ics_events(extract):
    data = make_ics(
        [
            {
                "SUMMARY": "اجتماع, مهم",
                "DTSTART": "20190220T093000Z",
                "DTEND": "20190220T103000Z",
                "LOCATION": "الموصل",
                'ORGANIZER;CN="أبو عمار"': "mailto:omar@example.org",
                "ATTENDEE;CN=Zaid;ROLE=REQ-PARTICIPANT": "mailto:zaid@example.org",
                "DESCRIPTION": "السطر الأول\nSecond line",
            }
        ]
    )
    result = extract(data, "cal.ics")
    assert result.type == "ics" and result.status == "ok", result.message
    text = text_of(result)
    assert "Summary: اجتماع, مهم" in text
    assert "Start: 2019-02-20T09:30:00Z" in text
    assert "Organizer: أبو عمار <omar@example.org>" in text
    assert "Attendee: Zaid <zaid@example.org>" in text
    assert "السطر الأول\nSecond line" in text
    assert result.metadata["events"] == 1


def test_samples(extract, samples):
    folder = samples / "formats"
    book = extract(folder / "testEPUB_xml_ext.epub")
    assert "It was a bright cold day in April" in text_of(book)
    assert book.metadata["author"] == "George Orwell"
    cal = extract(folder / "testICalendar_w_prodId.ics")
    assert "Sample HTML Event" in text_of(cal)
    assert cal.metadata["application"] == "-//Example Corp//iCalendar Export//EN"
