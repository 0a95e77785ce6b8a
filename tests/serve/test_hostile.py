"""Hostile documents (scripts, event handlers, javascript: links, remote images) render
as inert text, and no page asks anything of another machine."""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.serve.conftest import ARTIFACTS


def _ids(desk_case: dict[str, Any]) -> dict[str, str]:
    con = sqlite3.connect(desk_case["case"] / "case.db")
    rows = dict(con.execute("SELECT name, id FROM items WHERE name IN ('page.html', 'memo.docx')"))
    con.close()
    return rows


def test_hostile_documents_render_inert(
    browser: Any, server: str, desk_case: dict[str, Any]
) -> None:
    ids = _ids(desk_case)
    assert set(ids) == {"page.html", "memo.docx"}
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for name, item_id in ids.items():
        for url in (
            f"/item/{item_id}",
            "/search?q=zebracorn+OR+hostile",
            f"/item/{item_id}?q=script",
        ):
            page.goto(server + url)
            assert page.evaluate("window.HACKED === undefined")
            assert page.title() != "pwned"
            # Nothing from the document became an element: only the desk's own markup.
            assert (
                page.locator(
                    "main script, main iframe, main img[src^='http'], main [onerror], main [onload]"
                ).count()
                == 0
            )
            assert page.locator("a[href^='javascript:']").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"hostile-{name}.png"), full_page=True)
    page.goto(f"{server}/item/{ids['memo.docx']}")
    assert "<script>window.HACKED=1" in page.inner_text(".segments")
    for link in page.locator("a").all():
        href = link.get_attribute("href") or ""
        assert href.startswith(("/", "#")), href
    context.close()
    assert dialogs == []
    assert requests and all(u.startswith("http://127.0.0.1") for u in requests), requests
