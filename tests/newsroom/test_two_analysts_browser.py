"""Two analysts in two browser contexts (Chromium, Playwright) on ``serve --server`` over
HTTPS with a certificate made by the test: each logs in through the form, the editor's
finding shows up for the reader, and the reader cannot reach a case they hold no role on."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.newsroom.helpers import ARABIC, ENGLISH, docket, init_server, sources
from tests.newsroom.test_tls import _certificate, _free_port
from tests.serve.conftest import browser  # noqa: F401 - the shared Chromium fixture

FINDING = "دفعة إلى أحمد الراوي"


@pytest.fixture
def desk(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    init_server(tmp_path, pg_url, monkeypatch)
    for user in ("ed", "sam"):
        docket("user", "add", user, "--password-stdin", input=f"{user} password 1\n")
    docket("case", "create", "a")
    docket("case", "create", "b")
    docket("grant", "ed", "a", "editor")
    docket("grant", "sam", "a", "reader")
    docket("--case", "server:a", "ingest", str(sources(tmp_path, "src", {"a.txt": ARABIC, "b.txt": ENGLISH})))  # fmt: skip
    cert, key = _certificate(tmp_path)
    port = _free_port()
    src = Path(__file__).resolve().parents[2] / "src"
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "serve", "--server", "--port", str(port),
         "--tls-cert", str(cert), "--tls-key", str(key)],
        env={**os.environ, "PYTHONPATH": str(src)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"https://localhost:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/login", verify=False, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(20)


def _login(chromium: Any, url: str, user: str) -> Any:
    context = chromium.new_context(ignore_https_errors=True)
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_url("**/login")
    page.fill("input[name=user]", user)
    page.fill("input[name=password]", f"{user} password 1")
    page.click("button")
    page.wait_for_url("**/cases")
    return page


def test_two_analysts_in_two_browsers(browser: Any, desk: str) -> None:  # noqa: F811
    ed = _login(browser, desk, "ed")
    sam = _login(browser, desk, "sam")
    assert sam.locator("li").all_inner_texts()[0].startswith("a (reader)")
    cookies = {c["name"]: c for c in sam.context.cookies()}
    session = cookies["docket_session"]
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Strict"
    assert (
        session["value"] != {c["name"]: c for c in ed.context.cookies()}["docket_session"]["value"]
    )

    ed.click("a[href='/cases/a']")
    ed.wait_for_load_state()
    ed.goto(desk + "/search?q=" + "الراوي")
    ed.locator(".hits a").first.click()
    ed.wait_for_url("**/item/**")
    ed.fill("#f-title", FINDING)
    ed.click("#f-save")
    ed.wait_for_url("**/findings?saved=*")

    sam.click("a[href='/cases/a']")
    sam.wait_for_load_state()
    sam.goto(desk + "/findings")
    assert sam.locator(".finding h2", has_text=FINDING).count() == 1
    # a reader's browser has no finding form that works, and no other case
    assert sam.goto(desk + "/cases/b").status == 404
    sam.context.close()
    ed.context.close()
