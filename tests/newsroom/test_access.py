"""``serve --server``: logins, cookies, roles on every route, and the audit trail of what
each analyst did — against a real PostgreSQL, through the real ASGI application."""

from __future__ import annotations

import json
import re
from importlib import import_module
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from docket.newsroom import config
from docket.serve.app import ROUTE_MODULES
from docket.serve.server_mode import LOGIN_ATTEMPTS, build
from tests.newsroom.helpers import ARABIC, ENGLISH, as_json, docket, init_server, sources

HOST = "desk.newsroom.test"
B_ONLY = "Zarqawiyya"  # a word only case B holds


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory, pg_cluster: str) -> dict[str, Any]:
    import uuid

    import psycopg

    tmp = tmp_path_factory.mktemp("newsroom")
    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_cluster.replace("/postgres?", f"/{name}?")
    mp = pytest.MonkeyPatch()
    init_server(tmp, url, mp)
    for user, role in (
        ("amira", "admin"),
        ("sam", "user"),
        ("ana", "user"),
        ("eve", "user"),
        ("ed", "user"),
    ):
        docket(
            "user", "add", user, "--role", role, "--password-stdin", input=f"{user} password 1\n"
        )
    for case in ("a", "b"):
        docket("case", "create", case)
    docket("grant", "sam", "a", "reader")
    docket("grant", "ana", "a", "auditor")
    docket("grant", "ed", "a", "editor")
    a_src = sources(tmp, "a-src", {"a.txt": ARABIC, "b.txt": ENGLISH})
    b_src = sources(
        tmp, "b-src", {"b1.txt": f"{B_ONLY} ledger paid to Abu Omar al-Shami", "b2.txt": ARABIC}
    )
    docket("--case", "server:a", "ingest", str(a_src))
    docket("--case", "server:b", "ingest", str(b_src))
    listed = docket("--case", "server:b", "list", "--json").stdout.splitlines()
    b_items = [json.loads(line)["id"] for line in listed]
    b_entities = [e["id"] for e in as_json(docket("--case", "server:b", "entities", "--json"))]
    yield {"config": config.load(), "b_items": b_items, "b_entities": b_entities}
    mp.undo()


def client(newsroom: dict[str, Any]) -> TestClient:
    app = build(newsroom["config"], hosts=[HOST])
    return TestClient(
        app,
        base_url=f"https://{HOST}",
        headers={"Origin": f"https://{HOST}"},
        follow_redirects=False,
    )


def login(c: TestClient, user: str) -> None:
    r = c.post("/login", data={"user": user, "password": f"{user} password 1"})
    assert r.status_code == 303, r.text


def desk_urls(newsroom: dict[str, Any]) -> list[tuple[str, str]]:
    """Every route of the desk, its path parameters filled with case B's ids. A route
    with a parameter this test does not know fails here, so a new one is not skipped."""
    values = {
        "item_id": newsroom["b_items"][0],
        "entity_id": (newsroom["b_entities"] or ["p000"])[0],
        "page": "1",
        # parameters of desk routes that carry no case B id (a link row, a verdict word)
        "link_id": "1",
        "verdict": "confirmed",
        "decision_id": "1",  # a decision row: 404 before the case is looked at
        "finding_id": "1",  # a finding of the case the session is on, never of B
        "name": "naskh-regular.ttf",  # the desk's font, served under the case like every route
    }
    out = []
    routes = [r for m in ROUTE_MODULES for r in import_module(m).router.routes]
    for route in routes:
        if not isinstance(route, APIRoute):
            continue
        names = re.findall(r"{(\w+)}", route.path)
        unknown = [n for n in names if n not in values]
        assert not unknown, f"{route.path}: fill {unknown} with a case B value in this test"
        path = route.path
        for n in names:
            path = path.replace("{" + n + "}", values[n])
        for method in sorted(route.methods):
            out.append((method, path))
    assert len(out) >= 15
    return out


def test_every_desk_url_of_case_b_is_404_for_a_reader_of_case_a(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    login(c, "sam")
    assert c.get("/cases/b").status_code == 404
    assert c.get("/cases/a").status_code == 303  # now working on case A
    for method, path in desk_urls(newsroom):
        if "{" in path:
            continue
        if any(k in path for k in ("/item/", "/person/")):
            r = c.request(method, path, data={"nonce": "x", "title": "t", "cites": "[]"})
            assert r.status_code == 404, (method, path, r.status_code)
    # every item of B, every way of reaching it
    for item in newsroom["b_items"]:
        for path in (f"/item/{item}", f"/item/{item}/download", f"/api/item/{item}",
                     f"/item/{item}/page/1.png"):  # fmt: skip
            assert c.get(path).status_code == 404, path
    for entity in newsroom["b_entities"]:
        assert c.get(f"/person/{entity}").status_code == 404
        assert c.get(f"/api/person/{entity}").status_code == 404
    # and nothing of B shows through A's pages
    assert c.get("/api/search", params={"q": B_ONLY}).json()["total"] == 0
    for path in ("/search?q=" + B_ONLY, "/entities", "/api/network", "/timeline"):
        r = c.get(path)
        assert r.status_code == 200 and "ledger" not in r.text and "Shami" not in r.text, path


def test_a_user_without_a_role_reaches_no_case(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    login(c, "eve")
    assert c.get("/cases", headers={"accept": "application/json"}).json() == []
    assert c.get("/cases/a").status_code == 404
    for case in ("a", "b", "nope"):
        assert c.get(f"/cases/{case}").status_code == 404
    for method, path in desk_urls(newsroom):
        r = c.request(method, path)
        assert r.status_code in (303, 404), (method, path, r.status_code)
        if r.status_code == 303:
            assert r.headers["location"] == "/cases"


def test_without_a_session_nothing_but_the_login(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    assert c.get("/login").status_code == 200
    assert c.get("/static/desk.css").status_code in (200, 404)
    for method, path in desk_urls(newsroom):
        r = c.request(method, path)
        if path.startswith("/api/"):
            assert r.status_code == 401, path
        else:
            assert r.status_code == 303 and r.headers["location"] == "/login", path
    c.cookies.set("docket_session", "forged")
    assert c.get("/").status_code == 303


def test_session_cookie_is_secure_httponly_samesite(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    r = c.post("/login", data={"user": "sam", "password": "sam password 1"})
    cookie = r.headers["set-cookie"].lower()
    assert "docket_session=" in cookie
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert c.post("/login", data={"user": "sam", "password": "wrong"}).status_code == 401
    # a login form posted from another site is refused before it is read
    foreign = c.post(
        "/login", data={"user": "sam", "password": "sam password 1"},
        headers={"Origin": "https://evil.example"},
    )  # fmt: skip
    assert foreign.status_code == 403


def test_login_rate_limit(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    codes = [
        c.post("/login", data={"user": "nobody", "password": "guess"}).status_code
        for _ in range(LOGIN_ATTEMPTS + 1)
    ]
    assert codes[:LOGIN_ATTEMPTS] == [401] * LOGIN_ATTEMPTS and codes[-1] == 429


def test_reads_are_audited_and_only_auditors_read_the_trail(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    login(c, "sam")
    c.get("/cases/a")
    hits = c.get("/api/search", params={"q": "المدفوعات"}).json()
    item = hits["hits"][0]["id"]
    assert c.get(f"/item/{item}").status_code == 200
    assert c.get(f"/item/{item}/download").status_code == 200
    assert c.get("/audit").status_code == 404  # a reader is no auditor
    # a reader may not change the case
    assert c.post("/findings", data={"nonce": "x", "title": "t"}).status_code == 404

    auditor = client(newsroom)
    login(auditor, "ana")
    assert auditor.get("/cases/a").status_code == 303
    assert auditor.get("/").status_code == 404  # the audit trail only, not the documents
    trail = auditor.get("/audit", headers={"accept": "application/json"}).json()
    done = [(e["actor"], e["action"], e["detail"].get("item"), e["detail"].get("params"))
            for e in trail if e["actor"] == "sam"]  # fmt: skip
    assert ("sam", "search", None, {"q": "المدفوعات"}) in done
    assert ("sam", "view", item, None) in done
    assert ("sam", "download", item, None) in done
    assert as_json(docket("--case", "server:a", "audit", "verify", "--json"))["problems"] == []
    assert B_ONLY  # (case B's trail holds nothing of sam)
    b_trail = as_json(docket("--case", "server:b", "audit", "--json", "--user", "sam"))
    assert b_trail == []


def test_tls_needed_off_loopback(newsroom: dict[str, Any]) -> None:
    r = docket("serve", "--server", "--host", "0.0.0.0", ok=False)
    assert r.exit_code == 2 and "--tls-cert" in r.output


def test_an_editors_finding_is_signed_and_audited(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    login(c, "ed")
    c.get("/cases/a")
    item = c.get("/api/search", params={"q": "المدفوعات"}).json()["hits"][0]["id"]
    page = c.get(f"/item/{item}").text
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    assert nonce, "the item page has a finding form"
    r = c.post(
        "/findings",
        data={"nonce": nonce.group(1), "item": item, "title": "دفعة إلى الراوي"},
    )
    assert r.status_code == 303, r.text
    findings = c.get("/api/findings").json()
    mine = [f for f in findings if f["title"] == "دفعة إلى الراوي"]
    assert mine and mine[0]["author"] == "ed"
    trail = as_json(docket("--case", "server:a", "audit", "--json", "--user", "ed"))
    assert "finding" in [e["action"] for e in trail]


def test_the_cases_page_says_who_else_is_working_on_a_case(newsroom: dict[str, Any]) -> None:
    ed, sam = client(newsroom), client(newsroom)
    login(ed, "ed")
    login(sam, "sam")
    ed.get("/cases/a")
    listed = sam.get("/cases", headers={"accept": "application/json"}).json()
    assert listed[0]["name"] == "a" and "ed" in listed[0]["others"]
    assert "sam" not in listed[0]["others"]
    assert "also here: " in sam.get("/cases").text


def test_a_merge_by_one_analyst_shows_up_for_the_others(newsroom: dict[str, Any]) -> None:
    c = client(newsroom)
    login(c, "sam")
    c.get("/cases/a")
    entities = as_json(docket("--case", "server:a", "entities", "--json"))
    assert len(entities) >= 2, entities
    before = c.get("/entities").text  # now in the desk's cache
    assert all(f"/person/{e['id']}" in before for e in entities[:2])
    docket("--case", "server:a", "merge", entities[0]["id"], entities[1]["id"])  # another analyst
    after = as_json(docket("--case", "server:a", "entities", "--json"))
    assert len(after) == len(entities) - 1
    page = c.get("/entities").text
    assert sum(f"/person/{e['id']}" in page for e in entities[:2]) == 1
