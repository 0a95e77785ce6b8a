"""The desk answers only to its own host names (DNS rebinding), and a request that would
change the case is refused unless it comes from the desk's own pages (Origin/Referer)."""

from __future__ import annotations

import http.client
import re
import sqlite3
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from docket.serve.app import create_app
from docket.serve.guard import allowed_hosts, split_host
from tests.serve.conftest import free_port
from tests.serve.test_api import _first_response, _serving

EVIL = "evil.example"


@pytest.fixture(scope="module")
def raw(desk_case: dict[str, Any]) -> TestClient:
    """A client that sends only the headers each test gives it."""
    return TestClient(create_app(desk_case["case"]), base_url="http://127.0.0.1:8765")


def _nonce(raw: TestClient, letter: str) -> str:
    page = raw.get(f"/item/{letter}", headers={"Host": "127.0.0.1:8765"}).text
    found = re.search(r'name="nonce" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def _titles(desk_case: dict[str, Any]) -> list[str]:
    con = sqlite3.connect(desk_case["case"] / "case.db")
    try:
        return [t for (t,) in con.execute("SELECT title FROM findings")]
    finally:
        con.close()


def test_names_of_each_bind() -> None:
    assert allowed_hosts("127.0.0.1") == {"127.0.0.1", "localhost", "::1"}
    assert allowed_hosts("::1") == allowed_hosts("localhost") == allowed_hosts("127.0.0.1")
    assert allowed_hosts("192.0.2.7", ["Desk.LAN", "[2001:db8::1]:8765"]) == {
        "192.0.2.7",
        "desk.lan",
        "2001:db8::1",
    }
    wildcard = allowed_hosts("0.0.0.0")
    assert {"0.0.0.0", "127.0.0.1", "localhost"} <= wildcard and EVIL not in wildcard
    assert split_host("[::1]:8765") == ("::1", 8765)
    assert split_host("LocalHost") == ("localhost", None)
    for bad in ("", "localhost:", "localhost:http", "[::1", "[::1]x"):
        assert split_host(bad) is None, bad


@pytest.mark.parametrize("path", ["/item/{letter}", "/api/search?q=transfer", "/findings", "/"])
def test_a_foreign_host_is_refused_before_any_page(
    raw: TestClient, desk_case: dict[str, Any], path: str
) -> None:
    url = path.format(letter=desk_case["letter"])
    for host in (EVIL, f"{EVIL}:8765", "127.0.0.1.evil.example", "localhost.", "[::2]:8765"):
        r = raw.get(url, headers={"Host": host}, follow_redirects=False)
        assert r.status_code == 400, (host, r.status_code)
        assert r.headers["content-type"].startswith("text/plain")
        assert "nonce" not in r.text and "<" not in r.text
        assert r.headers["x-frame-options"] == "DENY"  # the refusal is still a desk response
    for host in ("127.0.0.1:8765", "127.0.0.1", "localhost:8765", "LOCALHOST:9000", "[::1]:8765"):
        r = raw.get(url, headers={"Host": host}, follow_redirects=False)
        assert r.status_code in (200, 303), (host, r.status_code)  # / redirects


def test_a_post_from_another_site_writes_nothing(
    raw: TestClient, desk_case: dict[str, Any]
) -> None:
    nonce = _nonce(raw, desk_case["letter"])
    host = "127.0.0.1:8765"
    form = {"nonce": nonce, "item": desk_case["letter"]}
    refused = {
        "foreign origin": {"Origin": f"http://{EVIL}"},
        "foreign referer": {"Referer": f"http://{EVIL}/page"},
        "origin null": {"Origin": "null"},
        "other port": {"Origin": "http://127.0.0.1:9999"},
        "other scheme": {"Origin": "https://127.0.0.1:8765"},
        "other loopback name": {"Origin": "http://localhost:8765"},
        "foreign origin, own referer": {
            "Origin": f"http://{EVIL}",
            "Referer": f"http://{host}/item/x",
        },
        "neither": {},
    }
    for why, headers in refused.items():
        r = raw.post(
            "/findings",
            data={**form, "title": f"forgery: {why}"},
            headers={"Host": host, **headers},
            follow_redirects=False,
        )
        assert r.status_code == 403, (why, r.status_code)
        assert "<" not in r.text
    # A rebound name is refused even with a matching Origin and the right nonce.
    r = raw.post(
        "/findings",
        data={**form, "title": "forgery: rebound"},
        headers={"Host": EVIL, "Origin": f"http://{EVIL}"},
        follow_redirects=False,
    )
    assert r.status_code == 400
    assert not [t for t in _titles(desk_case) if t.startswith("forgery")]

    accepted = {
        "own origin": {"Origin": f"http://{host}"},
        "own referer": {"Referer": f"http://{host}/item/{desk_case['letter']}"},
    }
    for why, headers in accepted.items():
        r = raw.post(
            "/findings",
            data={**form, "title": f"kept: {why}"},
            headers={"Host": host, **headers},
            follow_redirects=False,
        )
        assert r.status_code == 303, (why, r.status_code, r.text)
    assert {"kept: own origin", "kept: own referer"} <= set(_titles(desk_case))
    # The nonce is still checked behind the origin.
    r = raw.post(
        "/findings",
        data={**form, "nonce": "stale", "title": "forgery: stale nonce"},
        headers={"Host": host, "Origin": f"http://{host}"},
    )
    assert r.status_code == 403


def _request(port: int, method: str, path: str, headers: dict[str, str], body: str = "") -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        r = conn.getresponse()
        return r.status, r.read().decode()
    finally:
        conn.close()


def test_the_served_desk_refuses_a_rebound_name(server: str, desk_case: dict[str, Any]) -> None:
    """The real ``docket serve`` on loopback, asked under another name, as a browser led
    there by DNS rebinding would ask it."""
    port = urlsplit(server).port
    assert port
    letter = desk_case["letter"]
    status, body = _request(port, "GET", f"/item/{letter}", {"Host": f"{EVIL}:{port}"})
    assert status == 400 and "nonce" not in body
    status, _ = _request(port, "GET", "/api/findings", {"Host": EVIL})
    assert status == 400
    status, page = _request(port, "GET", f"/item/{letter}", {"Host": f"localhost:{port}"})
    assert status == 200
    nonce = re.search(r'name="nonce" value="([^"]+)"', page)
    assert nonce
    form = f"nonce={nonce.group(1)}&item={letter}&title=forgery+served"
    post = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded"}
    status, _ = _request(port, "POST", "/findings", {**post, "Origin": f"http://{EVIL}"}, form)
    assert status == 403
    status, _ = _request(port, "POST", "/findings", post, form)
    assert status == 403
    assert "forgery served" not in _titles(desk_case)


def test_every_worker_knows_the_allowed_names(
    desk_case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--workers 2`` builds the app in each worker: they answer to the names given by
    ``--allow-host`` and the ``allowed_hosts`` setting, and to no other."""
    monkeypatch.setenv("DOCKET_ALLOWED_HOSTS", "from-setting.lan")
    port = free_port()
    args = ("--port", str(port), "--workers", "2", "--allow-host", "desk.lan")
    with _serving(desk_case["case"], *args):
        url = f"http://127.0.0.1:{port}/api/findings"
        assert _first_response(url).status_code == 200
        # Connections close after each response, so these reach both workers.
        for _ in range(6):
            assert _first_response(url, headers={"Host": "desk.lan"}).status_code == 200
            assert _first_response(url, headers={"Host": "from-setting.lan"}).status_code == 200
            assert _first_response(url, headers={"Host": EVIL}).status_code == 400
