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


# WCAG 2.1 contrast of every visible text against the background it is drawn on (the
# nearest ancestor with an opaque background): 4.5:1, or 3:1 for large text.
CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const bg = el => { for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c; }
    return [255, 255, 255]; };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || !el.offsetParent && el.tagName !== 'BODY') continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || Number(st.opacity) < 1) continue;
    const a = lum(rgb(st.color)), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize), bold = Number(st.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2) + ' ' + el.textContent.trim().slice(0, 30));
  }
  return bad;
}"""


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    "path", ["/", "/entities", "/decisions", "/duplicates", "/authenticity", "/watchlist"]
)
def test_contrast_meets_wcag_aa(page: Any, bench_server: str, lang: str, path: str) -> None:
    sep = "&" if "?" in path else "?"
    page.goto(f"{bench_server}{path}{sep}lang={lang}")
    assert page.evaluate(CONTRAST_JS) == []
    # Every form control has a name a screen reader can say.
    unlabelled = page.evaluate(
        "() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
        " && !e.textContent.trim()).map(e => e.outerHTML.slice(0, 80))"
    )
    assert unlabelled == []
