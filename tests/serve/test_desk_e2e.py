"""The analyst's path through the desk in a real browser, in English and in Arabic:
search → document → entity → finding → report; no request leaves the machine."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from tests.helpers import docket
from tests.serve.conftest import ARTIFACTS


@pytest.fixture
def page(browser: Any, server: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    # The exported report is opened from disk (file://); everything else is the desk.
    local = (server + "/", ARTIFACTS.as_uri())
    outside = [u for u in pg.requests if not u.startswith(local)]
    context.close()
    assert outside == [], f"requests left the machine: {outside}"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_search_document_entity_finding_report(
    page: Any, server: str, desk_case: dict[str, Any], lang: str
) -> None:
    shot = lambda name: page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}.png"), full_page=True)  # noqa: E731
    page.goto(f"{server}/search?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("html").get_attribute("lang") == lang
    page.fill("#q", "transfer")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=transfer*")
    assert int(page.inner_text("#total")) > 0
    assert page.locator(".snippet b").count() > 0
    assert page.locator(".facets section").count() >= 3
    shot("search")

    # The cookie keeps the language across pages; open the letter that names the person.
    page.goto(f"{server}/item/{desk_case['letter']}?q=transfer")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("mark.hit").count() > 0
    # The name links to an entity: ours, or the one the resolution stage made of it.
    link = page.locator("a.ent-person", has_text=desk_case["name"]).first
    href = link.get_attribute("href") or ""
    assert href.startswith("/person/")
    assert page.locator("#status").inner_text() == "ok"
    assert page.locator(".signals li").count() >= 1
    shot("document")

    link.click()
    page.wait_for_url(f"**{href}")
    assert page.inner_text("#entity-name").strip()
    assert page.locator(f"a[href='/item/{desk_case['letter']}']").count() >= 1
    shot("person")

    page.goto(f"{server}/item/{desk_case['letter']}")
    title = f"Payment to Hassan ({lang})"
    page.fill("#f-title", title)
    page.fill("#f-note", "ملاحظة: the letter asks for 1,500 USD")
    page.fill("#f-tags", "payroll, دفعات")
    page.fill("#f-quote", "Please transfer 1,500 USD")
    page.select_option("#f-entity", desk_case["entity"])
    page.click("#f-save")
    page.wait_for_url("**/findings?saved=*")
    assert page.locator("#saved").count() == 1
    assert page.locator(".finding h2", has_text=title).count() == 1
    shot("findings")

    for name in ("network", "timeline", "failures", "entities"):
        page.goto(f"{server}/{name}")
        shot(name)
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")

    report = ARTIFACTS / f"report-{lang}.html"
    docket("export", "report", "-o", report, case=desk_case["case"])
    body = report.read_text()
    assert title in body and desk_case["letter"] in body and "Please transfer 1,500 USD" in body
    page.goto(report.as_uri())
    shot("report")


def test_network_and_timeline(page: Any, server: str, desk_case: dict[str, Any]) -> None:
    page.goto(f"{server}/network")
    assert page.locator("svg.network circle").count() >= 2
    # Edges may sit under node circles, so follow the link rather than click through them.
    evidence = page.locator("svg.network a[href^='/network/evidence']").first.get_attribute("href")
    page.goto(f"{server}{evidence}")
    assert page.locator(f"a[href='/item/{desk_case['letter']}']").count() == 1
    # From a person to their ego network: the payer is linked to them, and drawn.
    page.goto(f"{server}/person/{desk_case['entity']}")
    page.click("#ego-link")
    assert page.locator("#ego-centre").count() == 1
    assert page.locator("svg.network a[href='/person/p-nuaimi']").count() == 1
    page.goto(f"{server}/timeline")
    assert "1440-06-15" in page.inner_text("table.timeline")
    page.goto(f"{server}/failures")
    assert page.locator(".failure-group").count() >= 2
    page.goto(f"{server}/search?q={quote('النعيمي')}&lang=ar")
    assert int(page.inner_text("#total")) > 0


def test_deep_link_lands_on_its_row_highlighted(
    page: Any, server: str, desk_case: dict[str, Any]
) -> None:
    """A link to a sheet row (an Arabic sheet name, percent-encoded in the fragment) makes
    that row the page's target, outlined by the desk's CSS."""
    con = sqlite3.connect(desk_case["case"] / "case.db")
    item_id, sheet, row, seq = con.execute(
        "SELECT item_id, sheet, row, seq FROM segments WHERE sheet = 'الرواتب' ORDER BY seq DESC"
    ).fetchone()
    con.close()
    anchor = f"row-{sheet}-{row}"
    page.goto(f"{server}/item/{item_id}?{urlencode({'at': anchor})}#{quote(anchor, safe='')}")
    target = page.locator(":target")
    assert target.count() == 1 and target.get_attribute("id") == anchor
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    # A mention's link names the row's segment: its number cell, and the row is outlined.
    page.goto(f"{server}/item/{item_id}?at=seg-{seq}#seg-{seq}")
    cell = page.locator(":target")
    assert cell.count() == 1 and cell.evaluate("e => e.parentElement.id") == anchor
    assert cell.evaluate("e => getComputedStyle(e.parentElement).outlineStyle") == "solid"
