"""The findings read model: the analyst's findings, what they cite (items, entities) and
the case's authenticity signals, as the desk's findings and item pages, the JSON API and
the HTML report (``docket.export.report``) show them. Other stages fill these tables at
their own pace, so a table that is not there yet reads as empty, never as an error.

The analysts' changes to findings — add, edit (refused if another analyst saved since the
edit began: ``FindingConflict``), review, comment — are made here for the desk and the
command line alike, each written with its custody log entry (``docket.store.findings``
keeps the rows)."""

from __future__ import annotations

import getpass
import hashlib
import os
from datetime import UTC, datetime
from typing import Any

from docket.case import Case
from docket.store.findings import STATES, FindingConflict, NoFinding
from docket.views.rows import loads, rows

__all__ = ["STATES", "FindingConflict", "NoFinding"]


def findings(case: Case, *, comments: bool = False) -> list[dict[str, Any]]:
    """Every finding, oldest first, ``tags`` and ``cites`` parsed, ``state`` (draft when
    not reviewed) and ``version`` set; with ``comments``, each finding's comments."""
    out = rows(case.catalogue.db, "SELECT * FROM findings ORDER BY id")
    for r in out:
        r["tags"] = loads(r["tags"], [])
        r["cites"] = loads(r["cites"], [])
        r["state"] = r.get("state") or "draft"
        r["version"] = int(r.get("version") or 1)
    if comments:
        by_finding: dict[int, list[dict[str, Any]]] = {}
        for c in rows(case.catalogue.db, "SELECT * FROM finding_comments ORDER BY id"):
            by_finding.setdefault(int(c["finding_id"]), []).append(c)
        for r in out:
            r["comments"] = by_finding.get(int(r["id"]), [])
    return out


def finding(case: Case, finding_id: int) -> dict[str, Any]:
    """One finding with its comments and history; ``NoFinding`` if there is none."""
    found = case.catalogue.finding(finding_id)
    if found is None:
        raise NoFinding(f"no finding {finding_id}")
    found["comments"] = case.catalogue.finding_comments(finding_id)
    found["history"] = case.catalogue.finding_history(finding_id)
    return found


def analyst(actor: str | None = None) -> str:
    """Who is acting: the logged-in analyst on the server, else ``$DOCKET_USER``, else the
    system user, else ``local``."""
    if actor:
        return actor
    try:
        return os.environ.get("DOCKET_USER") or getpass.getuser() or "local"
    except (KeyError, OSError):
        return "local"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def _logged(case: Case, write: Any, event: str, fields: Any) -> Any:
    """``write()`` and its custody entry (``fields(result)``), both or neither."""
    return case.logged(write, event, fields)


def add(
    case: Case,
    *,
    title: str,
    cites: list[dict[str, Any]],
    note: str = "",
    tags: list[str] | None = None,
    actor: str | None = None,
) -> int:
    """A new finding (a draft, version 1) citing ``cites``; returns its id."""
    who = analyst(actor)

    def write() -> int:
        return case.catalogue.add_finding(
            time=_now(), author=who, title=title, note=note, tags=tags or [], cites=cites
        )

    def fields(fid: int) -> dict[str, Any]:
        f = case.catalogue.finding(fid) or {}
        items = sorted({c["item"] for c in cites if c.get("item")})
        return {"action": "add", "finding": fid, "version": 1, "actor": who,
                "title": f.get("title"), "note_sha256": _digest(f.get("note")), "cites_items": items}  # fmt: skip

    return int(_logged(case, write, "finding", fields))


def edit(
    case: Case,
    finding_id: int,
    *,
    base: int,
    title: str,
    note: str,
    tags: list[str],
    actor: str | None = None,
) -> dict[str, Any]:
    """Save a new version if the finding is still at version ``base`` (where the edit
    began); ``FindingConflict`` (holding the version saved since) otherwise."""
    who = analyst(actor)

    def write() -> dict[str, Any]:
        return case.catalogue.edit_finding(
            finding_id, base=base, time=_now(), editor=who, title=title, note=note, tags=tags
        )

    def fields(f: dict[str, Any]) -> dict[str, Any]:
        return {"action": "edit", "finding": finding_id, "version": f["version"], "actor": who,
                "title": f["title"], "note_sha256": _digest(f.get("note")), "state": f["state"]}  # fmt: skip

    return dict(_logged(case, write, "finding", fields))


def review(case: Case, finding_id: int, state: str, *, actor: str | None = None) -> dict[str, Any]:
    """Move the finding to review ``state`` (draft, checked, published)."""
    who = analyst(actor)

    def write() -> tuple[str, dict[str, Any]]:
        return case.catalogue.review_finding(finding_id, state, time=_now(), actor=who)

    def fields(done: tuple[str, dict[str, Any]]) -> dict[str, Any]:
        old, f = done
        return {"action": "review", "finding": finding_id, "version": f["version"],
                "actor": who, "title": f["title"], "from": old, "state": f["state"]}  # fmt: skip

    return dict(_logged(case, write, "finding", fields)[1])


def comment(case: Case, finding_id: int, text: str, *, actor: str | None = None) -> int:
    """Add a comment to the finding; returns the comment's id."""
    who = analyst(actor)

    def write() -> int:
        return case.catalogue.comment_finding(finding_id, time=_now(), author=who, text=text)

    def fields(cid: int) -> dict[str, Any]:
        return {"action": "comment", "finding": finding_id, "comment": cid, "actor": who,
                "text": text.strip()[:5_000]}  # fmt: skip

    return int(_logged(case, write, "finding", fields))


def signals(case: Case, item_id: str | None = None) -> list[dict[str, Any]]:
    """Authenticity signals (of one item, or all), with the item's path."""
    sql = "SELECT s.*, i.path FROM signals s LEFT JOIN items i ON i.id = s.item_id"
    out = rows(
        case.catalogue.db,
        sql + (" WHERE s.item_id = ?" if item_id else "") + " ORDER BY s.id",
        (item_id,) if item_id else (),
    )
    for r in out:
        r["evidence"] = loads(r.get("evidence"), None)
        r["path"] = loads(r.get("path"), [])
    return out


def entity_names(case: Case, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id, type and name of each of the entities ``ids`` found."""
    out = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for r in rows(
            case.catalogue.db,
            f"SELECT id, type, name FROM entities WHERE id IN ({','.join('?' * len(part))})",
            part,
        ):
            out[r["id"]] = r
    return out


def items_brief(case: Case, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Id, path (a list), name, type, SHA-256, size and status of each of ``ids`` found:
    what a citation shows of its source."""
    out = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for r in rows(
            case.catalogue.db,
            "SELECT id, path, name, type, sha256, size, status FROM items "
            f"WHERE id IN ({','.join('?' * len(part))})",
            part,
        ):
            r["path"] = loads(r["path"], [])
            out[r["id"]] = r
    return out
