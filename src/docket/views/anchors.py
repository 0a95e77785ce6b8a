"""Deep links into a document: ``/item/ID?at=ANCHOR#ANCHOR``.

The document page shows one window of an item's segments, so a bare fragment
(``#row-Roster-300``) names nothing once its target lies past the first window. Every
link into a document therefore names its target twice: ``at`` tells the server which
window to open (``document.window_start``), the fragment tells the browser where to
scroll. Both are the id of an element on the page:

- ``seg-N``: segment ``N`` (``segments.seq``, from 0), as mentions cite it;
- ``page-P``: page ``P`` (from 1), its first text segment, or its image if it has none;
- ``row-SHEET-R``: row ``R`` of sheet ``SHEET`` (empty for a CSV: ``row--R``), as
  records and findings cite it;
- ``sheet-SHEET``: the first row of a sheet.

A link built from a catalogue row (``href``) and the page it opens agree on these ids;
an anchor that names nothing in the item opens the first window.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, quote_plus

from docket.case import Case

MAX_NUMBER = 9  # digits in a seq, page or row: more is no position SQLite can hold


def anchor(
    *,
    seg: int | None = None,
    page: int | None = None,
    sheet: str | None = None,
    row: int | None = None,
) -> str | None:
    """The id of the most precise target given: a segment, a sheet row, a page, a sheet."""
    if seg is not None:
        return f"seg-{int(seg)}"
    if row is not None:
        return f"row-{sheet or ''}-{int(row)}"
    if page is not None:
        return f"page-{int(page)}"
    if sheet is not None:
        return f"sheet-{sheet}"
    return None


def href(item_id: str, at: str | None = None, q: str = "") -> str:
    """The document page's URL opening the window that holds ``at`` and scrolling to it;
    ``q`` keeps the query words marked."""
    params = {k: v for k, v in (("q", q), ("at", at)) if v}
    url = "/item/" + _quoted(item_id)
    if params:
        url += "?" + "&".join(f"{k}={_quoted_plus(v)}" for k, v in params.items())
    return url + ("#" + _quoted(at) if at else "")


# What quoting leaves as it is: a person page links hundreds of mentions, and ids and
# anchors are nearly always made of these alone.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quoted(text: str) -> str:
    return text if _UNRESERVED.fullmatch(text) else quote(text, safe="")


def _quoted_plus(text: str) -> str:  # as ``urlencode`` writes a value
    return text if _UNRESERVED.fullmatch(text) else quote_plus(text, safe="")


def _number(text: str) -> int | None:
    ok = text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER
    return int(text) if ok else None


def page(at: str) -> int | None:
    """The page a ``page-P`` anchor names (its image is shown even when it has no text)."""
    return _number(at[5:]) if at.startswith("page-") else None


def segment(case: Case, item_id: str, at: str) -> int | None:
    """The segment (``seq``) an anchor points at, or None when it names nothing.

    A page without text leads to the next page that has some (its image is then in the
    same window); a row cited without its sheet is looked for in any sheet."""
    db = case.catalogue.db
    kind, _, rest = at.partition("-")

    def first(where: str, *args: Any) -> int | None:
        got = db.execute(
            f"SELECT min(seq) FROM segments WHERE item_id = ? AND {where}", (item_id, *args)
        ).fetchone()[0]
        return None if got is None else int(got)

    if kind == "seg":
        n = _number(rest)
        return n if n is not None and first("seq = ?", n) is not None else None
    if kind == "page":
        n = _number(rest)
        if n is None:
            return None
        found = first("page = ?", n)
        if found is None:
            got = db.execute(
                "SELECT seq FROM segments WHERE item_id = ? AND page > ? ORDER BY page, seq "
                "LIMIT 1",
                (item_id, n),
            ).fetchone()
            found = None if got is None else int(got[0])
        return found
    if kind == "row":
        sheet, _, number = rest.rpartition("-")
        n = _number(number)
        if n is None:
            return None
        found = first("coalesce(sheet, '') = ? AND row = ?", sheet, n)
        return first("row = ?", n) if found is None and not sheet else found
    if kind == "sheet":
        return first("coalesce(sheet, '') = ? AND row IS NOT NULL", rest)
    return None


def for_cite(case: Case, cite: dict[str, Any]) -> str | None:
    """The anchor of a finding's citation: its row (in the sheet that holds it, when the
    analyst left the sheet out), else its page, else its sheet."""
    row, sheet = cite.get("row"), cite.get("sheet")
    if row is not None and not sheet and cite.get("item"):
        got = case.catalogue.db.execute(
            "SELECT sheet FROM segments WHERE item_id = ? AND row = ? ORDER BY seq LIMIT 1",
            (cite["item"], int(row)),
        ).fetchone()
        sheet = got[0] if got else None
    return anchor(page=cite.get("page"), sheet=sheet, row=row)
