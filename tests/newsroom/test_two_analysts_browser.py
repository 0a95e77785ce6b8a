"""Two analysts in two browser contexts (Chromium, Playwright) on ``serve --server`` over
HTTPS with a certificate made by the test: each logs in through the form, the editor's
finding shows up for the reader, and the reader cannot reach a case they hold no role on.
Two editors: one edits a finding, the other's stale save is refused with both versions
(in English and in Arabic); one merges two entities, the other sees it; each page names
the other as working on the case."""

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
    for user in ("ed", "sam", "ana"):
        docket("user", "add", user, "--password-stdin", input=f"{user} password 1\n")
    docket("case", "create", "a")
    docket("case", "create", "b")
    docket("grant", "ed", "a", "editor")
    docket("grant", "sam", "a", "reader")
    docket("grant", "ana", "a", "editor")
    docket("--case", "server:a", "ingest", str(sources(tmp_path, "src", {"a.txt": ARABIC, "b.txt": ENGLISH})))  # fmt: skip
    cert, key = _certificate(tmp_path)
    port = _free_port()
    src = Path(__file__).resolve().parents[2] / "src"
    # two worker processes: a form rendered by one is posted to either, presence seen by
    # one shows on the other's pages (sessions, nonce and presence are shared)
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "serve", "--server", "--port", str(port),
         "--tls-cert", str(cert), "--tls-key", str(key), "--workers", "2"],
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


def _case_a(page: Any, url: str) -> None:
    page.click("a[href='/cases/a']")
    page.wait_for_load_state()


def test_two_editors_a_conflict_a_merge_and_each_other(browser: Any, desk: str) -> None:  # noqa: F811
    ed = _login(browser, desk, "ed")
    ana = _login(browser, desk, "ana")
    _case_a(ed, desk)
    _case_a(ana, desk)
    ed.goto(desk + "/search?q=" + "الراوي")
    ed.locator(".hits a").first.click()
    ed.wait_for_url("**/item/**")
    ed.fill("#f-title", FINDING)
    ed.click("#f-save")
    ed.wait_for_url("**/findings?saved=*")
    fid = ed.url.split("saved=")[1].split("#")[0]

    # both open the edit form at version 1; ed saves, then ana's save is refused
    ed.goto(f"{desk}/findings/{fid}/edit")
    ana.goto(f"{desk}/findings/{fid}/edit?lang=ar")
    assert ana.locator("html").get_attribute("dir") == "rtl"
    ed.fill("#e-note", "Paid on 4 March 2019, per the ledger")
    ed.click("#e-save")
    ed.wait_for_url("**/findings?saved=*")
    ana.fill("#e-note", "الدفعة بتاريخ ٤ آذار ٢٠١٩")
    ana.click("#e-save")
    ana.wait_for_load_state()
    assert "لم تُحفظ" in ana.locator("#conflict").inner_text()
    assert "Paid on 4 March 2019" in ana.locator("#theirs").inner_text()
    assert "٤ آذار ٢٠١٩" in ana.locator("#yours").inner_text()
    assert ana.input_value("#e-note") == "الدفعة بتاريخ ٤ آذار ٢٠١٩"  # nothing lost
    # in English too: ed, now behind ana's re-save, gets the same refusal
    ed.goto(f"{desk}/findings/{fid}/edit")
    ana.click("#e-save")  # ana saves her version over ed's knowingly (base is now 2)
    ana.wait_for_url("**/findings?saved=*")
    ed.fill("#e-title", FINDING + " (ed)")
    ed.click("#e-save")
    ed.wait_for_load_state()
    assert "Not saved" in ed.locator("#conflict").inner_text()
    assert "٤ آذار ٢٠١٩" in ed.locator("#theirs").inner_text()
    assert ed.input_value("#e-title") == FINDING + " (ed)"

    # each sees the other working on the case, on every page
    ana.goto(desk + "/findings")
    assert "ed" in ana.locator("#presence .analyst").all_inner_texts()
    ed.goto(desk + "/entities")
    assert ed.locator("#presence .analyst").all_inner_texts() == ["ana"]

    # ed merges two entities; ana's desk shows one entity where there were two
    ana.goto(desk + "/entities")
    before = ana.locator("#entities input[name=ids]").count()
    assert before >= 2
    boxes = ed.locator("#entities input[name=ids]")
    picked = [boxes.nth(0).get_attribute("value"), boxes.nth(1).get_attribute("value")]
    boxes.nth(0).check()
    boxes.nth(1).check()
    ed.click("#entities-merge button[type=submit]")
    ed.wait_for_url("**/person/**?decided=merge")
    ana.goto(desk + "/entities")
    assert ana.locator("#entities input[name=ids]").count() == before - 1
    decisions = ana.context.request.get(desk + "/api/decisions").json()
    assert decisions[-1]["kind"] == "merge" and decisions[-1]["actor"] == "ed"
    merged = ana.context.request.get(desk + "/api/person/" + str(picked[0]))
    assert merged.ok or ana.context.request.get(desk + "/api/person/" + str(picked[1])).ok
    ed.context.close()
    ana.context.close()
