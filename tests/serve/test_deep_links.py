"""Every link into a document opens the window that holds its target.

The document page shows 50 segments at a time, so a link to row 300 of a roster or page
90 of a report names its target in ``at`` as well as in the fragment. The case here is
written by the real extractors and the table enricher (an Arabic roster workbook and a
CSV of payments, several hundred rows each, and a 120-page Arabic PDF), with the rows
the resolution stage would add: one person made of a record past the first window of
each sheet and of a mention deep in the report."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from fastapi.testclient import TestClient

from docket.case import Case
from docket.demo import content as c
from docket.demo.writers import documents as d
from docket.demo.writers import tabular as t
from docket.enrich import tables
from docket.export.report import build_report
from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.serve import document
from docket.serve.app import create_app
from docket.settings import DEFAULTS
from docket.store.refresh import index_items
from tests.conftest import Extract
from tests.serve.conftest import catalogue_item, desk_client

SHEET = "كشف الرواتب"  # a sheet name with a space, as rosters have
NAME = "حسن إبراهيم الجبوري"
ROSTER_ROW = 300  # the row of the workbook that names him (row 1 a title, 2 blank, 3 header)
CSV_ROW = 280  # and the line of the CSV
PAGES = 120
NAME_PAGE = 90  # the page of the report that names him
DATE_PAGE = 100  # and the page with a dated event
SCAN_PAGE = 61  # a page with no text, as a scan read without OCR leaves


def _roster() -> bytes:
    others = [r for r in c.ROSTER if r[0] != NAME]
    rows = [list(others[n % len(others)]) for n in range(ROSTER_ROW + 40 - 3)]
    rows[ROSTER_ROW - 4][0] = NAME
    return t.make_xlsx({SHEET: [["قائمة عناصر مكتب دير الزور"], [], c.ROSTER_HEADER, *rows]})


def _payments() -> bytes:
    others = [r for r in c.PAYMENTS if r[1] != NAME]
    rows = [list(others[n % len(others)]) for n in range(CSV_ROW + 40)]
    rows[CSV_ROW - 2][1] = NAME
    return t.make_csv([c.PAYMENTS_HEADER, *rows], encoding="utf-8")


def _report() -> bytes:
    pages = [[f"Page {n} of the office report", "Salaries paid."] for n in range(1, PAGES + 1)]
    pages[NAME_PAGE - 1].append(f"Signed: {NAME}")
    pages[DATE_PAGE - 1].append("Meeting held on 2017-06-01 in Mosul.")
    return d.make_pdf(pages)


@pytest.fixture(scope="module")
def case_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("deep")
    extract = Extract(tmp)
    root = tmp / "case"
    case = Case.open(root, create=True)
    cat, db = case.catalogue, case.catalogue.db
    members = []
    for item_id, name, ftype, data, row in (
        ("roster", "roster.xlsx", "xlsx", _roster(), ROSTER_ROW),
        ("payments", "payments.csv", "csv", _payments(), CSV_ROW),
    ):
        result = extract(data, name)
        tables.enrich(result, DEFAULTS)
        cat.add_item(catalogue_item(item_id, name, ftype))
        cat.replace_segments(item_id, result.segments)
        cat.replace_records(item_id, result.records)
        rec = db.execute(
            "SELECT id FROM records WHERE item_id = ? AND row = ? AND kind = 'person'",
            (item_id, row),
        ).fetchone()
        assert rec, f"no person record at row {row} of {name}"
        members.append(f"record:{rec[0]}")
    pdf = _report()
    blob = case.blobs.put_bytes(pdf)
    result = extract(pdf, "report.pdf")
    segs = [s for s in result.segments if s.page != SCAN_PAGE]
    assert [s.page for s in segs[:3]] == [1, 2, 3] and len(segs) == PAGES - 1
    cat.add_item(catalogue_item("report", "report.pdf", "pdf", blob.sha256))
    cat.replace_segments("report", segs)
    named = next(i for i, s in enumerate(segs) if s.page == NAME_PAGE)
    dated = next(i for i, s in enumerate(segs) if s.page == DATE_PAGE)
    at, when = segs[named].text.index(NAME), segs[dated].text.index("2017-06-01")
    cat.replace_mentions(
        "report",
        [
            Mention("person", NAME, NAME, named, at, at + len(NAME), "t"),
            Mention("date", "2017-06-01", "2017-06-01", dated, when, when + 10, "t"),
        ],
    )
    # 60 segments of 1,500 characters: a window holds 33 of them.
    cat.add_item(catalogue_item("long", "long.txt", "text"))
    cat.replace_segments("long", [Segment(f"{n:04d} " + "ب" * 1_495) for n in range(60)])
    mid = db.execute("SELECT id FROM mentions WHERE kind = 'person'").fetchone()[0]
    members.append(f"mention:{mid}")
    with db:
        db.execute(
            "INSERT INTO entities VALUES ('p-hassan', 'person', ?, '[]', ?, NULL)",
            (NAME, len(members)),
        )
        db.executemany("INSERT INTO entity_members VALUES ('p-hassan', ?)", [(m,) for m in members])
    index_items(case.catalogue, case.fulltext, ["roster", "payments", "report", "long"])
    case.close()
    return root


@pytest.fixture(scope="module")
def client(case_root: Path) -> TestClient:
    return desk_client(create_app(case_root))


def _hrefs(page: str, item_id: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'href="(/item/{item_id}[?#][^"]*)"', page)]


def _follow(client: TestClient, href: str) -> tuple[str, str]:
    """The page a link opens, and the id its fragment names (the browser's view)."""
    url, _, fragment = href.partition("#")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text, unquote(fragment)


def _has_id(page: str, anchor: str) -> bool:
    return f'id="{html.escape(anchor)}"' in page


@pytest.mark.parametrize(
    ("item_id", "anchor"),
    [("roster", f"row-{SHEET}-{ROSTER_ROW}"), ("payments", f"row--{CSV_ROW}")],
)
def test_person_record_link_opens_the_window_with_its_row(
    client: TestClient, item_id: str, anchor: str
) -> None:
    assert not _has_id(client.get(f"/item/{item_id}").text, anchor)  # past the first window
    # The record's row, linked from the records table and from the person's timeline.
    links = set(_hrefs(client.get("/person/p-hassan").text, item_id))
    assert len(links) == 1, links
    page, fragment = _follow(client, links.pop())
    assert fragment == anchor and _has_id(page, anchor)
    row = re.search(rf'<tr id="{re.escape(html.escape(anchor))}">(.*?)</tr>', page, re.S)
    assert row and NAME in row.group(1)
    # The window is the one counted from the start, so the pager reads on from it.
    assert 'id="text-prev"' in page and 'id="text-next"' in page


def test_mention_link_opens_the_window_with_its_segment(client: TestClient) -> None:
    links = _hrefs(client.get("/person/p-hassan").text, "report")
    assert len(links) == 1, links
    page, fragment = _follow(client, links[0])
    assert fragment.startswith("seg-") and not _has_id(client.get("/item/report").text, fragment)
    seg = re.search(rf'<div class="segment" id="{fragment}"[^>]*>(.*?)</div>', page, re.S)
    assert seg and f"Page {NAME_PAGE} of the office report" in seg.group(1)
    assert 'href="/person/p-hassan"' in seg.group(1)  # the name, linked in its window


def test_search_result_opens_the_window_with_its_snippet(client: TestClient) -> None:
    """A hit deep in a long report links to the segment where its snippet starts."""
    links = _hrefs(client.get("/search", params={"q": "signed"}).text, "report")
    assert len(links) == 1, links
    page, fragment = _follow(client, links[0])
    assert "q=signed" in links[0] and fragment.startswith("seg-")
    seg = re.search(rf'<div class="segment" id="{fragment}"[^>]*>(.*?)</div>', page, re.S)
    assert seg and f"Page {NAME_PAGE} of the office report" in seg.group(1)
    assert '<mark class="hit">Signed</mark>' in seg.group(1)  # the query word marked there
    # A hit in an item's first segment links to the item itself.
    first = _hrefs(client.get("/search", params={"q": "office report"}).text, "report")
    assert first and all("at=" not in h for h in first)


def test_page_link_opens_the_page_text_and_image(client: TestClient) -> None:
    page = client.get("/item/report", params={"at": f"page-{NAME_PAGE}"}).text
    label = re.search(rf'<span class="pageno" id="page-{NAME_PAGE}">.*?</div>', page, re.S)
    assert label and f"Page {NAME_PAGE} of the office report" in label.group(0)
    # The images beside the text are those of the window's pages, not the first 50.
    assert f'<figure id="image-{NAME_PAGE}"><img src="/item/report/page/{NAME_PAGE}.png"' in page
    assert 'src="/item/report/page/1.png"' not in page
    # A page without text: its image carries the anchor, in the window after it.
    scan = client.get("/item/report", params={"at": f"page-{SCAN_PAGE}"}).text
    assert f'<figure id="page-{SCAN_PAGE}">' in scan
    assert f'id="page-{SCAN_PAGE + 1}"' in scan
    first = client.get("/item/report").text
    assert (
        'src="/item/report/page/1.png"' in first and 'src="/item/report/page/51.png"' not in first
    )


def test_query_words_stay_marked_in_the_linked_window(client: TestClient) -> None:
    anchor = f"row-{SHEET}-{ROSTER_ROW}"
    page = client.get("/item/roster", params={"q": "الجبوري", "at": anchor}).text
    row = re.search(rf'<tr id="{re.escape(anchor)}">(.*?)</tr>', page, re.S)
    assert row and '<mark class="hit">' in row.group(1)
    nxt = re.search(r'id="text-next" href="([^"]+)"', page)
    assert nxt and "q=" in nxt.group(1) and "at=" not in nxt.group(1)


def test_window_moves_up_to_a_target_behind_long_segments(client: TestClient) -> None:
    # The window from segment 0 of "long" holds 33 of its segments; 45 is not among them.
    first = client.get("/item/long").text
    assert _has_id(first, "seg-32") and not _has_id(first, "seg-33")
    page = client.get("/item/long", params={"at": "seg-45"}).text
    assert _has_id(page, "seg-45") and not _has_id(page, "seg-12")


def test_finding_citing_a_row_links_to_it(client: TestClient, case_root: Path) -> None:
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get("/item/roster").text)
    assert nonce
    for data in (
        {"item": "roster", "title": "راتب حسن", "row": str(ROSTER_ROW)},  # no sheet given
        {"item": "report", "title": "Signed report", "page": str(NAME_PAGE), "quote": NAME},
    ):
        got = client.post("/findings", data={"nonce": nonce.group(1), **data})
        assert got.status_code == 200
    findings = client.get("/findings").text
    anchor = f"row-{SHEET}-{ROSTER_ROW}"
    for item_id, want in (("roster", anchor), ("report", f"page-{NAME_PAGE}")):
        links = _hrefs(findings, item_id)
        assert len(links) == 1, links
        page, fragment = _follow(client, links[0])
        assert fragment == want and _has_id(page, want)
    # The report names the same place, as text: it is read away from the desk.
    case = Case.open(case_root)
    try:
        report = build_report(case)
    finally:
        case.catalogue.close()
    assert f"desk <code>/item/roster?{urlencode({'at': anchor})}#" in report
    assert 'href="/item/' not in report


def test_timeline_event_links_to_its_segment(client: TestClient) -> None:
    links = _hrefs(client.get("/timeline").text, "report")
    assert len(links) == 1, links
    page, fragment = _follow(client, links[0])
    seg = re.search(rf'<div class="segment" id="{fragment}"[^>]*>(.*?)</div>', page, re.S)
    assert seg and f"Page {DATE_PAGE} of the office report" in seg.group(1)


def test_sheet_anchor_names_the_sheet_table(client: TestClient) -> None:
    page = client.get("/item/roster", params={"at": f"sheet-{SHEET}"}).text
    assert _has_id(page, f"sheet-{SHEET}") and _has_id(page, f"row-{SHEET}-1")


@pytest.mark.parametrize("at", ["row-nosuch-5", "seg-99999999999999", "page-x", "nonsense"])
def test_anchor_naming_nothing_opens_the_first_window(client: TestClient, at: str) -> None:
    page = client.get("/item/roster", params={"at": at}).text
    assert 'id="seg-0"' in page and f"Segments 1–{document.WINDOW_SEGMENTS} of" in page
