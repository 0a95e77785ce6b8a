"""The person page on the demo case: each mention in its sentence, the people and places
named with the entity, correspondents, payments as a table and a timeline (Hijri beside
Gregorian), and records shown as the row was written."""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any

import hijridate
import pytest
from fastapi.testclient import TestClient

from docket.serve.app import create_app
from tests.serve.conftest import desk_client

NAME = "حسن إبراهيم الجبوري"


@pytest.fixture(scope="module")
def client(desk_case: dict[str, Any]) -> TestClient:
    return desk_client(create_app(desk_case["case"]))


@pytest.fixture(scope="module")
def db(desk_case: dict[str, Any]) -> sqlite3.Connection:
    return sqlite3.connect(desk_case["case"] / "case.db")


def _section(page: str, heading: str) -> str:
    m = re.search(rf"<h2>{heading}.*?</section>", page, re.S)
    assert m, heading
    return html.unescape(m.group(0))


def test_mentions_are_quoted_in_their_sentence(client: TestClient) -> None:
    page = client.get("/person/p-hassan").text
    quoted = _section(page, "Mentions")
    assert re.search(r"to brother <mark>Hassan Ibrahim al-Jubouri</mark> for the salaries", quoted)


def test_payments_as_a_table_and_a_timeline(client: TestClient) -> None:
    """The conftest's payment relation: Abu Ammar al-Nuaimi paid him on 2019-03-02."""
    page = client.get("/person/p-hassan").text
    paid = _section(page, "Payments")
    row = re.search(r"<tr><td>2019-03-02</td>(.*?)</tr>", paid, re.S)
    assert row and "Abu Ammar al-Nuaimi" in row.group(1) and "Hassan" in row.group(1)
    when = _section(page, "Timeline")
    hijri = hijridate.Gregorian(2019, 3, 2).to_hijri().isoformat()
    assert re.search(rf"<td>2019-03-02</td><td>{hijri}</td><td>payment</td>", when)
    assert '<svg class="histogram"' in when and 'href="#month-2019-03"' in when
    assert 'id="month-2019-03"' in when


def test_named_with_counts_items(client: TestClient, db: sqlite3.Connection) -> None:
    (eid,) = db.execute(
        "SELECT id FROM entities WHERE name = ? AND type = 'person'", (NAME,)
    ).fetchone()
    named = _section(client.get(f"/person/{eid}").text, "Named with")
    people = re.findall(
        r'<a href="/person/([^"]+)" dir="auto">[^<]*</a> <span class="n">(\d+)', named
    )
    assert people
    for other, n in people:
        (weight,) = db.execute(
            "SELECT weight FROM entity_links WHERE (a, b) IN (VALUES (?, ?), (?, ?))",
            (eid, other, other, eid),
        ).fetchone()
        assert int(n) == weight
    # Places: items citing him (by any member) that name the place, each item once.
    cited = {
        r[0]
        for r in db.execute(
            "SELECT m.item_id FROM entity_members em JOIN mentions m "
            "ON 'mention:' || m.id = em.member WHERE em.entity_id = ? UNION "
            "SELECT r.item_id FROM entity_members em JOIN records r "
            "ON em.member LIKE 'record:' || r.id || '%' WHERE em.entity_id = ? UNION "
            "SELECT r.item_id FROM entity_members em JOIN relations r "
            "ON em.member LIKE 'relation:' || r.id || ':%' WHERE em.entity_id = ?",
            (eid, eid, eid),
        )
    }
    deir = {
        i
        for (i,) in db.execute(
            "SELECT item_id FROM mentions WHERE kind = 'place' AND value = 'Deir ez-Zor'"
        )
    }
    places = re.findall(r'dir="auto">([^<]+)</a> <span class="n">(\d+)</span></li>', named)
    assert ("Deir ez-Zor", str(len(deir & cited))) in places


def test_correspondents_and_records(client: TestClient, db: sqlite3.Connection) -> None:
    (eid,) = db.execute(
        "SELECT id FROM entities WHERE name = ? AND type = 'person'", (NAME,)
    ).fetchone()
    page = client.get(f"/person/{eid}").text
    letters = _section(page, "Correspondents")
    assert re.search(r"<bdi>nuaimi.office@example.org</bdi></td><td>1</td><td>0</td>", letters)
    records = _section(page, "Records")
    assert "name_parts" not in records and "amount_column" not in records
    # The row as the sheet wrote it, header by header.
    assert "<bdi>المبلغ</bdi>: <bdi>1500</bdi>" in records
