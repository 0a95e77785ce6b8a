"""The desk's HTTP surface tested directly: JSON endpoints, headers, downloads, forms,
and the access token when the desk listens beyond 127.0.0.1."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from docket.serve.app import create_app
from tests.serve.conftest import desk_client, free_port


@pytest.fixture(scope="module")
def client(desk_case: dict[str, Any]) -> TestClient:
    return desk_client(create_app(desk_case["case"]))


def test_security_headers(client: TestClient) -> None:
    r = client.get("/search?q=transfer")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    for part in (
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert "<script" not in r.text and "http://" not in r.text.replace("http://127.0.0.1", "")


def test_api_search_with_facets(client: TestClient) -> None:
    out = client.get("/api/search", params={"q": "transfer", "with_facets": True}).json()
    assert out["total"] > 0 and out["hits"][0]["path"]
    facets = out["facets"]
    assert sum(n for _, n in facets["status"]) == out["total"]
    assert dict(facets["type"]).get("document", 0) > 0
    assert client.get("/api/search", params={"q": "("}).status_code == 400
    page2 = client.get("/search", params={"q": "transfer OR payroll", "page": 2})
    assert page2.status_code == 200


def test_facets_count_every_hit(client: TestClient, desk_case: dict[str, Any]) -> None:
    """Names and years are counted over the whole hit set, once per item, exactly as the
    catalogue has them."""
    q = "transfer OR payment OR تحويل OR رواتب OR مبلغ OR Hassan"
    out = client.get("/api/search", params={"q": q, "with_facets": True}).json()
    ids: list[str] = []
    while len(ids) < out["total"]:
        page = client.get("/api/search", params={"q": q, "limit": 200, "offset": len(ids)})
        ids += [h["id"] for h in page.json()["hits"]]
    con = sqlite3.connect(desk_case["case"] / "case.db")
    marks = ",".join("?" * len(ids))

    def items(kind: str, value: str, column: str = "value") -> int:
        return int(
            con.execute(
                f"SELECT count(DISTINCT item_id) FROM mentions WHERE kind = ? AND {column} = ? "
                f"AND item_id IN ({marks})",
                (kind, value, *ids),
            ).fetchone()[0]
        )

    facets = out["facets"]
    assert facets["person"] and facets["date"]
    for kind in ("person", "org", "place"):
        for value, n in facets[kind]:
            assert n == items(kind, value), (kind, value)
        top = con.execute(
            f"SELECT count(DISTINCT item_id) AS n FROM mentions WHERE kind = ? AND value != '' "
            f"AND item_id IN ({marks}) GROUP BY value ORDER BY n DESC LIMIT 1",
            (kind, *ids),
        ).fetchone()
        assert (facets[kind][0][1] if facets[kind] else 0) == (top[0] if top else 0)
    for year, n in facets["date"]:
        assert n == items("date", year, "substr(value, 1, 4)")
    assert [y for y, _ in facets["date"]] == sorted(y for y, _ in facets["date"])


@pytest.mark.parametrize(("lang", "yes", "no"), [("en", "yes", "no"), ("ar", "نعم", "لا")])
def test_yes_no_facets_read_in_the_page_language(
    client: TestClient, lang: str, yes: str, no: str
) -> None:
    page = client.get("/search", params={"q": "transfer", "lang": lang}).text
    # The demo cache holds copies of the transfer letter: both values are there.
    assert re.search(rf'href="/search\?q=transfer\+duplicate%3Atrue">{yes}</a>', page)
    assert re.search(rf'href="/search\?q=transfer\+duplicate%3Afalse">{no}</a>', page)


def test_api_item_person_failures(client: TestClient, desk_case: dict[str, Any]) -> None:
    item = client.get(f"/api/item/{desk_case['letter']}").json()
    assert item["sha256"] and any(m["kind"] == "person" for m in item["mentions"])
    assert item["signals"][0]["severity"] == "medium"
    assert client.get("/api/item/nope").status_code == 404
    person = client.get(f"/api/person/{desk_case['entity']}").json()
    assert person["name"] == desk_case["name"] and person["mentions"]
    assert client.get("/api/person/nope").status_code == 404
    failures = client.get("/api/failures").json()
    assert failures and all(r["status"] != "ok" for rows in failures.values() for r in rows)
    net = client.get("/api/network").json()
    assert any(e["kind"] == "payment" for e in net["edges"])


def test_download_is_an_attachment(client: TestClient, desk_case: dict[str, Any]) -> None:
    r = client.get(f"/item/{desk_case['letter']}/download")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment;")
    import hashlib

    assert (
        hashlib.sha256(r.content).hexdigest()
        == client.get(f"/api/item/{desk_case['letter']}").json()["sha256"]
    )


def test_pdf_page_image_and_sheet(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "type:pdf", "limit": 50}).json()["hits"]
    pdf = next(h for h in hits if h["status"] == "ok")
    png = client.get(f"/item/{pdf['id']}/page/1.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/item/{pdf['id']}/page/999.png").status_code == 404
    sheet = client.get("/api/search", params={"q": "type:csv"}).json()["hits"][0]
    page = client.get(f"/item/{sheet['id']}").text
    assert '<table class="sheet">' in page and 'dir="auto"' in page


def test_finding_form_needs_the_nonce(client: TestClient, desk_case: dict[str, Any]) -> None:
    form = {"item": desk_case["letter"], "title": "forged"}
    assert client.post("/findings", data={**form, "nonce": "wrong"}).status_code == 403
    page = client.get(f"/item/{desk_case['letter']}").text
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    r = client.post(
        "/findings", data={**form, "nonce": nonce, "row": "3", "quote": "q"}, follow_redirects=False
    )
    assert r.status_code == 303
    found = [f for f in client.get("/api/findings").json() if f["title"] == "forged"]
    assert found[0]["cites"] == [{"item": desk_case["letter"], "row": 3, "quote": "q"}]


def test_language_switch_and_cookie(client: TestClient) -> None:
    r = client.get("/failures?lang=ar")
    assert '<html lang="ar" dir="rtl">' in r.text and "الإخفاقات" in r.text
    assert client.get("/findings").text.count('dir="rtl"') >= 1  # the cookie remembered it
    assert '<html lang="en" dir="ltr">' in client.get("/findings?lang=en").text


@contextmanager
def _serving(case: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``docket serve`` on a free port: the process and the first line it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "serve", "--case", str(case), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc, proc.stdout.readline() if proc.stdout else ""
    finally:
        proc.terminate()
        proc.wait(10)


def _first_response(url: str, **kwargs: Any) -> httpx.Response:
    for _ in range(150):
        try:
            return httpx.get(url, **kwargs)
        except httpx.ConnectError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def test_non_local_host_needs_the_token(desk_case: dict[str, Any]) -> None:
    port = free_port()
    with _serving(desk_case["case"], "--host", "127.0.0.2", "--port", str(port)) as (_, first):
        m = re.match(r"http://127\.0\.0\.2:(\d+)/\?token=(\S+)", first)
        assert m, first
        token = m.group(2)
        base = f"http://127.0.0.2:{port}"
        assert _first_response(base + "/search").status_code == 403
        assert (
            httpx.get(base + "/api/findings", headers={"X-Docket-Token": "wrong"}).status_code
            == 403
        )
        assert (
            httpx.get(base + "/api/findings", headers={"X-Docket-Token": token}).status_code == 200
        )
        with httpx.Client(base_url=base) as c:
            r = c.get(f"/search?q=transfer&token={token}")
            assert r.status_code == 303 and "token" not in r.headers["location"]
            assert c.get(r.headers["location"]).status_code == 200  # the cookie carries it now


@pytest.mark.parametrize("workers", [1, 2])
def test_several_workers_take_one_request_per_connection(
    desk_case: dict[str, Any], workers: int
) -> None:
    """Worker processes share the socket: a kept-alive connection would stay with one of
    them, so with several each response closes its connection."""
    port = free_port()
    with _serving(desk_case["case"], "--port", str(port), "--workers", str(workers)):
        r = _first_response(f"http://127.0.0.1:{port}/search?q=transfer")
        assert r.status_code == 200 and "transfer" in r.text
        assert (r.headers.get("connection") == "close") == (workers > 1)
