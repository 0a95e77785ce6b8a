"""The workbench in a real browser (Debian's Chromium), in English and in Arabic: the
overview, a merge from the entities page undone from the person page, a near-duplicate's
word diff, the network zoomed, panned, dragged and searched by keyboard and pointer, the
Arabic font served by the desk; no request leaves the machine and the CSP blocks nothing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve.conftest import ARTIFACTS, serve


@pytest.fixture(scope="module")
def bench_server(workbench_case: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Merges change the case: a copy of its own.
    case = tmp_path_factory.mktemp("e2e") / "case"
    shutil.copytree(workbench_case, case)
    yield from serve(case)


@pytest.fixture
def page(browser: Any, bench_server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []
    pg.problems = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    pg.on(
        "response", lambda r: pg.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    yield pg
    outside = [u for u in pg.requests if not u.startswith(bench_server + "/")]
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert pg.problems == [], pg.problems


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_overview_and_arabic_type(page: Any, bench_server: str, lang: str) -> None:
    page.goto(f"{bench_server}/?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    for section in ("#items", "#ov-failures", "#ov-dates", "#ov-entities", "#ov-findings"):
        assert page.locator(section).is_visible(), section
    # Arabic names are drawn in the desk's own Naskh face.
    loaded = page.evaluate(
        "async () => { await document.fonts.load('16px \"Docket Naskh\"', 'حسن');"
        " await document.fonts.ready;"
        " return document.fonts.check('16px \"Docket Naskh\"', 'حسن'); }"
    )
    assert loaded
    assert any(u.endswith("/fonts/naskh-regular.ttf") for u in page.requests) or loaded
    # Keyboard: the first link takes focus visibly.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.screenshot(path=str(ARTIFACTS / f"workbench-{lang}-overview.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_merge_from_entities_then_undo(page: Any, bench_server: str, lang: str) -> None:
    page.goto(f"{bench_server}/entities?type=person&lang={lang}")
    boxes = page.locator("#entities input[type=checkbox]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#entities-merge button[type=submit]").click()
    page.wait_for_url("**/person/**decided=merge*")
    assert page.locator("#decide .saved").is_visible()
    undo = page.locator("#entity-decisions button").last
    undo.focus()
    page.keyboard.press("Enter")  # the action by keyboard
    page.wait_for_url("**/decisions?undone=*")
    assert page.locator("tr.decision.undone").count() >= 1
    page.screenshot(path=str(ARTIFACTS / f"workbench-{lang}-decisions.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_near_duplicate_word_diff(page: Any, bench_server: str, lang: str) -> None:
    page.goto(f"{bench_server}/duplicates?lang={lang}")
    group = page.locator("#near details.diff").first
    group.locator("summary").click()
    assert (
        group.locator("del", has_text="١٥٠٠").count()
        + group.locator("del", has_text="١٢٠٠").count()
        >= 1
    )
    group.locator("summary a").click()
    page.wait_for_url("**/duplicates/diff?**")
    assert page.locator("table.changes ins").count() >= 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_network_zoom_pan_drag_find(page: Any, bench_server: str, lang: str) -> None:
    page.goto(f"{bench_server}/network?lang={lang}")
    svg = page.locator("#network")
    before = svg.get_attribute("viewBox")
    page.locator("#zoom-in").click()
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != before
    svg.focus()
    page.keyboard.press("ArrowRight")
    assert svg.get_attribute("viewBox") != zoomed
    page.keyboard.press("0")
    assert svg.get_attribute("viewBox") == before
    # Drag a node: it moves and takes its links along; the drag is not a click.
    circle = page.locator("g.node circle").first
    cx = circle.get_attribute("cx")
    box = circle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 40, steps=5)
    page.mouse.up()
    assert circle.get_attribute("cx") != cx
    assert "/network" in page.url
    # Find as you type.
    name = page.locator("g.node").first.get_attribute("data-name") or ""
    page.fill("#net-find", name[:3])
    assert page.locator("g.node.found").count() >= 1
    page.screenshot(path=str(ARTIFACTS / f"workbench-{lang}-network.png"), full_page=True)
