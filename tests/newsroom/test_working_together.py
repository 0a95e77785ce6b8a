"""Working together on a server case, against a real PostgreSQL through the real ASGI
application: findings carry their author, versions, comments and review state; a stale
edit is refused with both versions; readers read but neither comment nor review; every
change is in the audit trail and the custody log; each desk page names the other
analysts working on the case."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docket.newsroom import config
from docket.serve.server_mode import build
from tests.newsroom.helpers import ARABIC, ENGLISH, as_json, docket, init_server, sources

HOST = "desk.newsroom.test"
TITLE = "دفعة إلى أحمد الراوي"
COMMENT = "راجعت التاريخ: ٤ آذار ٢٠١٩"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory, pg_cluster: str) -> Any:
    import uuid

    import psycopg

    tmp = tmp_path_factory.mktemp("together")
    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    mp = pytest.MonkeyPatch()
    mp.setenv("DOCKET_ENRICH", "language")
    init_server(tmp, pg_cluster.replace("/postgres?", f"/{name}?"), mp)
    for user in ("ed", "ana", "sam"):
        docket("user", "add", user, "--password-stdin", input=f"{user} password 1\n")
    docket("case", "create", "a")
    docket("grant", "ed", "a", "editor")
    docket("grant", "ana", "a", "owner")
    docket("grant", "sam", "a", "reader")
    docket("--case", "server:a", "ingest", str(sources(tmp, "src", {"a.txt": ARABIC, "b.txt": ENGLISH})))  # fmt: skip
    items = [json.loads(x)["id"] for x in docket("--case", "server:a", "list", "--json").stdout.splitlines()]  # fmt: skip
    yield {"config": config.load(), "item": items[0]}
    mp.undo()


def _client(newsroom: dict[str, Any], user: str) -> TestClient:
    c = TestClient(
        build(newsroom["config"], hosts=[HOST]),
        base_url=f"https://{HOST}",
        headers={"Origin": f"https://{HOST}"},
        follow_redirects=False,
    )
    r = c.post("/login", data={"user": user, "password": f"{user} password 1"})
    assert r.status_code == 303, r.text
    assert c.get("/cases/a").status_code == 303
    return c


def _nonce(text: str) -> str:
    found = re.search(r'name="nonce" value="([^"]+)"', text)
    assert found
    return found.group(1)


def test_findings_worked_on_together(newsroom: dict[str, Any]) -> None:
    ed, ana, sam = (_client(newsroom, u) for u in ("ed", "ana", "sam"))
    item = newsroom["item"]
    nonce = _nonce(ed.get(f"/item/{item}").text)
    r = ed.post("/findings", data={"nonce": nonce, "item": item, "title": TITLE})
    assert r.status_code == 303
    fid = ed.get("/api/findings").json()[-1]["id"]

    # ed and ana both open the edit form at version 1; ed saves first
    assert 'name="base" value="1"' in ana.get(f"/findings/{fid}/edit").text
    mine = {"nonce": nonce, "base": "1", "title": TITLE, "note": "ملاحظة إد"}
    assert ed.post(f"/findings/{fid}/edit", data=mine).status_code == 303
    nonce = _nonce(ana.get("/findings").text)  # each test client is a server of its own
    theirs = {"nonce": nonce, "base": "1", "title": TITLE, "note": "ملاحظة آنا"}
    r = ana.post(f"/findings/{fid}/edit?lang=ar", data=theirs)
    assert r.status_code == 409
    assert "ملاحظة إد" in r.text and "ملاحظة آنا" in r.text and "لم تُحفظ" in r.text
    assert ana.get(f"/api/findings/{fid}").json()["note"] == "ملاحظة إد"

    # comments and review: editors and owners; a reader reads them and gets no form
    assert ana.post(f"/findings/{fid}/comment", data={"nonce": nonce, "text": COMMENT}).status_code == 303  # fmt: skip
    assert ana.post(f"/findings/{fid}/review", data={"nonce": nonce, "state": "checked"}).status_code == 303  # fmt: skip
    page = sam.get("/findings").text
    nonce = _nonce(sam.get(f"/item/{item}").text)
    assert COMMENT in page and "checked" in page and "ana" in page
    assert "/comment" not in page and "/review" not in page and "/edit" not in page
    assert sam.post(f"/findings/{fid}/comment", data={"nonce": nonce, "text": "x"}).status_code == 404  # fmt: skip
    assert sam.post(f"/findings/{fid}/review", data={"nonce": nonce, "state": "draft"}).status_code == 404  # fmt: skip
    assert sam.post(f"/findings/{fid}/edit", data=mine).status_code == 404
    shown = sam.get(f"/api/findings/{fid}").json()
    assert (shown["state"], shown["version"], shown["editor"]) == ("checked", 2, "ana")
    assert [(c["author"], c["text"]) for c in shown["comments"]] == [("ana", COMMENT)]

    # the audit trail says who did what to which finding; the custody log too
    trail = as_json(docket("--case", "server:a", "audit", "--json"))
    assert isinstance(trail, list)
    done = [(e["actor"], e["detail"].get("what"), e["detail"].get("finding"))
            for e in trail if e["action"] == "finding"]  # fmt: skip
    assert done == [("ed", "add", fid), ("ed", "edit", fid), ("ana", "comment", fid), ("ana", "review", fid)]  # fmt: skip
    root = newsroom["config"].case_root("a")
    logged = [json.loads(x) for x in (root / "custody.log").read_text().splitlines()]
    assert [(e["actor"], e["action"]) for e in logged if e["event"] == "finding"] == [
        ("ed", "add"), ("ed", "edit"), ("ana", "comment"), ("ana", "review"),
    ]  # fmt: skip
    docket("--case", "server:a", "audit", "verify")
    docket("--case", "server:a", "verify")

    # the same from the command line, as the analyst named by DOCKET_USER
    docket("--case", "server:a", "finding", "comment", str(fid), "من سطر الأوامر")
    trail = as_json(docket("--case", "server:a", "audit", "--json", "--user", "amira"))
    assert isinstance(trail, list)
    assert any(e["action"] == "finding" and e["detail"].get("what") == "comment" for e in trail)


def test_every_desk_page_names_the_others_working_on_the_case(newsroom: dict[str, Any]) -> None:
    ed, sam = _client(newsroom, "ed"), _client(newsroom, "sam")
    ed.get("/")
    for path in ("/", "/search?q=Rawi", "/findings", "/entities"):
        text = sam.get(path).text
        shown = re.search(r'<p class="presence" id="presence">(.*?)</p>', text)
        assert shown, path
        assert "ed" in shown.group(1) and "sam" not in shown.group(1), path
    listed = sam.get("/cases", headers={"accept": "application/json"}).json()
    assert "ed" in listed[0]["others"]
