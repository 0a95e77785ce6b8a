"""The desk as the whole workbench, on a small ingested case (real SQLite and tantivy):
the overview, lists that page, and every analyst action — merge, split, undo,
authenticity, duplicates with their word diffs, the watchlist — recorded exactly as the
CLI records them: the same catalogue rows, the same custody log."""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docket.serve.app import create_app
from tests.helpers import docket, docket_json
from tests.serve.conftest import WATCHLIST, desk_client


@pytest.fixture(scope="module")
def case(workbench_case: Path) -> Path:
    return workbench_case


def _copy(case: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copytree(case, target)
    return target


def _client(case: Path) -> TestClient:
    return desk_client(create_app(case))


def _nonce(page: str) -> str:
    m = re.search(r'name="nonce" value="([^"]+)"', page)
    assert m, "no form nonce on the page"
    return m.group(1)


def _rows(case: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(case / "case.db")
    try:
        return [tuple(r) for r in con.execute(sql)]
    finally:
        con.close()


def _decisions(case: Path) -> list[tuple[Any, ...]]:
    # The time and the actor differ run to run; the kind and what it names must not.
    return [
        (kind, json.loads(payload))
        for kind, payload in _rows(case, "SELECT kind, payload FROM decisions ORDER BY id")
    ]


def _entities(case: Path) -> list[tuple[Any, ...]]:
    return _rows(case, "SELECT id, type, name, variants, mentions FROM entities ORDER BY id")


def _people(case: Path) -> list[str]:
    return [
        r[0]
        for r in _rows(
            case, "SELECT id FROM entities WHERE type = 'person' ORDER BY mentions DESC, id"
        )
    ]


def test_overview_is_the_front_page(case: Path) -> None:
    client = _client(case)
    page = client.get("/")
    assert page.status_code == 200
    text = html.unescape(page.text)
    status = docket_json("status", case=case)
    assert f'<span class="n">{status["items"]}</span>' in page.text
    for st, n in status["by_status"].items():
        assert re.search(rf">{st}(</a>)?</td><td class=\"num\">{n}</td>", page.text), st
    # The failed PDF is there with its reason.
    failed = [f for f in status["failures"] if f["status"] == "failed"]
    assert failed and failed[0]["code"] in text
    # Dates, most-mentioned people and duplicate groups.
    assert 'id="ov-dates"' in page.text and "<svg" in page.text
    top = _rows(
        case, "SELECT name FROM entities WHERE type = 'person' ORDER BY mentions DESC LIMIT 1"
    )
    assert top and top[0][0] in text
    assert "memo-copy.txt" in text or "memo.txt" in text
    # The Arabic page: right to left, Arabic headings.
    ar = client.get("/?lang=ar").text
    assert 'dir="rtl"' in ar and "نظرة عامة" in ar


def test_overview_shows_a_running_stage(case: Path, tmp_path: Path) -> None:
    c = _copy(case, tmp_path, "running")
    con = sqlite3.connect(c / "case.db")
    with con:
        con.execute(
            "UPDATE items SET status = 'pending' WHERE rowid = (SELECT min(rowid) FROM items)"
        )
    con.close()
    page = _client(c).get("/").text
    assert 'id="progress"' in page and "<progress" in page
    assert 'http-equiv="refresh"' in page  # follows the stage without script


def test_entities_and_timeline_say_how_many_and_page(case: Path) -> None:
    client = _client(case)
    total = _rows(case, "SELECT count(*) FROM entities")[0][0]
    page = client.get("/entities").text
    assert f"of {total}" in html.unescape(page)
    import docket.serve.routes_people as rp

    old = rp.TIMELINE_PAGE
    rp.TIMELINE_PAGE = 2
    try:
        first = html.unescape(client.get("/timeline").text)
        second = html.unescape(client.get("/timeline?page=2").text)
    finally:
        rp.TIMELINE_PAGE = old
    m = re.search(r"1–2 of (\d+)", first)
    assert m and int(m.group(1)) > 2, first[:2000]
    assert 'rel="next"' in first and "3–4 of" in second


def _logged_since(case: Path, before: bytes) -> list[dict[str, Any]]:
    """The custody events logged after ``before`` (the log as it was), less their time."""
    new = (case / "custody.log").read_bytes()[len(before) :]
    events = [json.loads(line) for line in new.splitlines()]
    return [{k: v for k, v in e.items() if k != "time"} for e in events]


def test_merge_split_and_undo_are_the_cli_s_decisions(case: Path, tmp_path: Path) -> None:
    by_desk, by_cli = _copy(case, tmp_path, "desk"), _copy(case, tmp_path, "cli")
    people = _people(by_desk)
    assert len(people) >= 2, _entities(by_desk)
    a, b = people[0], people[1]
    before_log = (case / "custody.log").read_bytes()
    before = _entities(by_desk)
    client = _client(by_desk)
    person = client.get(f"/person/{a}").text
    assert 'id="merge-form"' in person
    r = client.post(
        "/decisions/merge", data={"nonce": _nonce(person), "ids": [a, b]}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    merged = r.headers["location"]
    docket("merge", a, b, case=by_cli)
    assert _decisions(by_desk) == _decisions(by_cli) and _decisions(by_desk)
    assert _entities(by_desk) == _entities(by_cli)
    # Each decision is logged in custody, the same way from the desk and from the CLI.
    logged = [_logged_since(p, before_log) for p in (by_desk, by_cli)]
    assert logged[0] == logged[1] and [e["event"] for e in logged[0]] == ["decision"]
    assert logged[0][0]["kind"] == "merge" and sorted(logged[0][0]["entities"]) == sorted([a, b])
    # The merged person shows the decision, with an undo button.
    page = client.get(merged).text
    assert 'id="entity-decisions"' in page and "/undo" in page
    decision = _rows(by_desk, "SELECT max(id) FROM decisions")[0][0]
    r = client.post(
        f"/decisions/{decision}/undo", data={"nonce": _nonce(page)}, follow_redirects=False
    )
    assert r.status_code == 303 and "undone=" in r.headers["location"]
    docket("undo", str(decision), case=by_cli)
    assert _decisions(by_desk) == _decisions(by_cli)
    assert _entities(by_desk) == before  # undone: as it was
    listing = docket_json("decisions", case=by_cli)
    assert [d["in_force"] for d in listing] == [False, True]
    assert "undone" in client.get("/decisions").text


def test_split_from_the_person_page(case: Path, tmp_path: Path) -> None:
    by_desk, by_cli = _copy(case, tmp_path, "desk"), _copy(case, tmp_path, "cli")
    busy = _rows(
        by_desk,
        "SELECT e.id, min(CAST(substr(m.member, 9) AS INTEGER)) FROM entities e "
        "JOIN entity_members m ON m.entity_id = e.id WHERE m.member LIKE 'mention:%' "
        "GROUP BY e.id HAVING count(*) > 1 ORDER BY e.id LIMIT 1",
    )
    if not busy:
        pytest.skip("no entity with two mentions in this case")
    entity, mention = busy[0]
    client = _client(by_desk)
    page = client.get(f"/person/{entity}").text
    assert 'action="/decisions/split"' in page
    r = client.post(
        "/decisions/split",
        data={"nonce": _nonce(page), "entity": entity, "member": str(mention)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    docket("split", entity, "--mention", str(mention), case=by_cli)
    assert _decisions(by_desk) == _decisions(by_cli)
    assert _entities(by_desk) == _entities(by_cli)


def test_actions_need_the_desk_s_own_form(case: Path, tmp_path: Path) -> None:
    c = _copy(case, tmp_path, "guarded")
    client = _client(c)
    a, b = _people(c)[:2]
    assert (
        client.post("/decisions/merge", data={"nonce": "forged", "ids": [a, b]}).status_code == 403
    )
    page = client.get("/").text
    nonce = _nonce(client.get(f"/person/{a}").text)
    foreign = client.post(
        "/decisions/merge",
        data={"nonce": nonce, "ids": [a, b]},
        headers={"Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
    assert client.post("/authenticity", data={"nonce": "x"}).status_code == 403
    assert _rows(c, "SELECT count(*) FROM decisions")[0][0] == 0
    assert "nonce" not in page or _nonce(page)


def test_authenticity_from_the_desk_stores_the_cli_s_signals(case: Path, tmp_path: Path) -> None:
    by_desk, by_cli = _copy(case, tmp_path, "desk"), _copy(case, tmp_path, "cli")
    client = _client(by_desk)
    page = client.get("/authenticity").text
    r = client.post("/authenticity", data={"nonce": _nonce(page)}, follow_redirects=False)
    assert r.status_code == 303
    docket("authenticity", case=by_cli)
    sql = "SELECT item_id, kind, severity, detail, evidence FROM signals ORDER BY id"
    stored = _rows(by_desk, sql)
    assert stored and stored == _rows(by_cli, sql)
    shown = html.unescape(client.get(r.headers["location"]).text)
    assert f"{len(stored)} signals stored" in shown
    for item_id, kind, *_ in stored[:3]:
        assert kind in shown and f"/item/{item_id}" in shown
    # Per case: a count by kind, and each kind narrows the list.
    assert 'id="signal-counts"' in shown
    one = client.get("/authenticity", params={"kind": stored[0][1]}).text
    assert stored[0][1] in one
    assert (by_desk / "custody.log").read_bytes() == (by_cli / "custody.log").read_bytes()


def test_duplicates_with_word_diffs(case: Path) -> None:
    client = _client(case)
    cli = docket_json("duplicates", case=case)
    page = client.get("/duplicates")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert len(cli["exact_duplicates"]) >= 1 and len(cli["near_duplicates"]) >= 1
    assert "memo-copy.txt" in text
    near = cli["near_duplicates"][0]
    assert "letter-ar" in " ".join(p[-1] for p in near["paths"])
    # The changed amount, as written, in the group and on the pair's own diff page.
    assert "١٥٠٠" in text and "١٢٠٠" in text
    d = near["diff"][0]
    diff = client.get("/duplicates/diff", params={"a": d["against"], "b": d["item"]})
    assert diff.status_code == 200
    body = html.unescape(diff.text)
    first = near["paths"][near["items"].index(d["against"])][-1]
    old, new = ("١٢٠٠", "١٥٠٠") if "retyped" in first else ("١٥٠٠", "١٢٠٠")
    assert f"<del>{old}</del>" in body and f"<ins>{new}</ins>" in body
    assert client.get("/duplicates/diff", params={"a": "nope", "b": "nope"}).status_code == 404


def test_watchlist_upload_gives_the_cli_s_matches(case: Path, tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text(WATCHLIST)
    cli = docket_json("xref", listed, case=case)
    client = _client(case)
    page = client.get("/watchlist").text
    r = client.post(
        "/watchlist",
        data={"nonce": _nonce(page)},
        files={"file": ("list.csv", WATCHLIST.encode(), "text/csv")},
    )
    assert r.status_code == 200
    shown = html.unescape(r.text)
    for entry in cli:
        assert entry["names"][0] in shown
        for m in entry["matches"]:
            assert f"/person/{m['entity']}" in shown and m["matched"] in shown
    assert "No match." in shown  # the entry nobody matches says so
    bad = client.post(
        "/watchlist",
        data={"nonce": _nonce(page)},
        files={"file": ("list.json", b"{not json", "application/json")},
    )
    assert bad.status_code == 400 and "cannot read" in bad.text


def test_overview_and_decisions_as_json(case: Path, tmp_path: Path) -> None:
    c = _copy(case, tmp_path, "api")
    client = _client(c)
    out = client.get("/api/overview").json()
    status = docket_json("status", case=c)
    assert out["items"] == status["items"] and out["by_status"] == status["by_status"]
    assert out["failures"]["total"] == len(status["failures"])
    assert out["progress"]["running"] == []
    a, b = _people(c)[:2]
    docket("merge", a, b, case=c)
    assert client.get("/api/decisions").json() == docket_json("decisions", case=c)


def test_every_new_page_answers_on_an_empty_case(tmp_path: Path) -> None:
    from docket.case import Case

    Case.open(tmp_path / "empty", create=True).close()
    client = _client(tmp_path / "empty")
    for path in (
        "/", "/?lang=ar", "/entities", "/timeline?page=3", "/authenticity", "/duplicates",
        "/watchlist", "/decisions", "/network", "/network/export.gexf", "/network/export.svg",
        "/api/overview", "/api/decisions",
    ):  # fmt: skip
        assert client.get(path).status_code == 200, path


def test_refusals_are_clear_and_write_nothing(case: Path, tmp_path: Path) -> None:
    from docket.case import Case

    c = _copy(case, tmp_path, "refusals")
    client = _client(c)
    nonce = _nonce(client.get("/authenticity").text)
    r = client.post("/decisions/merge", data={"nonce": nonce, "ids": ["p-nobody", _people(c)[0]]})
    assert r.status_code == 400 and "p-nobody" in html.unescape(r.text)
    r = client.post(
        "/decisions/split", data={"nonce": nonce, "entity": _people(c)[0], "member": "999999"}
    )
    assert r.status_code == 400
    assert client.post("/decisions/4242/undo", data={"nonce": nonce}).status_code == 400
    assert _rows(c, "SELECT count(*) FROM decisions")[0][0] == 0
    # Another process writing the case: the checks wait, as the CLI's would.
    other = Case.open(c)
    other.lock()
    try:
        r = client.post("/authenticity", data={"nonce": nonce})
        assert r.status_code == 409 and "being written" in r.text
    finally:
        other.unlock()
        other.close()
    assert _rows(c, "SELECT count(*) FROM signals")[0][0] == 0


def test_possibly_the_same_lists_candidates_to_merge(case: Path, tmp_path: Path) -> None:
    by_desk, by_cli = _copy(case, tmp_path, "desk"), _copy(case, tmp_path, "cli")
    busy = _rows(
        by_desk,
        "SELECT e.id, max(CAST(substr(m.member, 9) AS INTEGER)) FROM entities e "
        "JOIN entity_members m ON m.entity_id = e.id WHERE m.member LIKE 'mention:%' "
        "AND e.type = 'person' GROUP BY e.id HAVING count(*) > 1 ORDER BY e.id LIMIT 1",
    )
    assert busy
    entity, mention = busy[0]
    # A mention split out by mistake: the same spelling, two entities.
    for c in (by_desk, by_cli):
        docket("split", entity, "--mention", str(mention), case=c)
    alone = _rows(
        by_desk,
        f"SELECT entity_id FROM entity_members WHERE member = 'mention:{mention}'",
    )[0][0]
    rest = _rows(by_desk, f"SELECT entity_id FROM entity_members WHERE member LIKE 'mention:%' "
                 f"AND entity_id != '{alone}' AND member != 'mention:{mention}' "
                 f"AND entity_id IN (SELECT id FROM entities WHERE variants LIKE "
                 f"(SELECT '%' || text || '%' FROM mentions WHERE id = {mention}))")  # fmt: skip
    client = _client(by_desk)
    page = client.get(f"/person/{alone}/similar")
    assert page.status_code == 200
    found = re.findall(r'name="ids" value="([^"]+)"><button', page.text)
    assert rest and rest[0][0] in found, page.text[-2000:]
    other = rest[0][0]
    assert "exact" in page.text
    r = client.post(
        "/decisions/merge",
        data={"nonce": _nonce(page.text), "ids": [alone, other]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    docket("merge", alone, other, case=by_cli)
    assert _decisions(by_desk) == _decisions(by_cli)
    assert _entities(by_desk) == _entities(by_cli)


def test_an_oversized_post_is_refused_before_it_is_read(case: Path) -> None:
    client = _client(case)
    nonce = _nonce(client.get("/watchlist").text)
    huge = b"name\n" + b"x" * (7 * 1024 * 1024)
    r = client.post(
        "/watchlist", data={"nonce": nonce}, files={"file": ("big.csv", huge, "text/csv")}
    )
    assert r.status_code == 413
    # Within the cap but over the watchlist's own limit: said on the page.
    big = b"name\n" + b"x" * (5 * 1024 * 1024)
    r = client.post(
        "/watchlist", data={"nonce": nonce}, files={"file": ("big.csv", big, "text/csv")}
    )
    assert r.status_code == 400 and "larger than 5 MB" in r.text
