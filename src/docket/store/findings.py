"""Findings and working on them together: each finding's author, version and review state,
every version saved (``finding_history``) and the analysts' comments (``finding_comments``).
Mixed into ``Catalogue``, whose connection and transactions these use.

An edit names the version it started from; if another analyst saved in between, it is
refused with ``FindingConflict``, which holds the version saved since, so that nothing is
lost. The review state goes ``draft → checked → published`` one step at a time, and back
to any earlier state; an edit of a checked or published finding returns it to draft, since
what was checked is the text before the edit."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from docket.model.errors import BadArguments, CheckFailed

STATES = ("draft", "checked", "published")
MAX_TITLE, MAX_NOTE, MAX_TAGS, MAX_COMMENT = 500, 20_000, 20, 5_000


class FindingConflict(CheckFailed):
    """Another analyst saved the finding after this edit began (``current``: their version)."""

    label = "conflict"

    def __init__(self, current: dict[str, Any], base: int) -> None:
        self.current = current
        self.base = base
        super().__init__(
            f"finding {current['id']} was changed by {current.get('editor') or '?'} at "
            f"{current.get('updated') or current['time']} (version {current['version']}) after "
            f"your edit began from version {base}: your changes were not saved"
        )


class NoFinding(BadArguments):
    """No finding with that id."""


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("tags", "cites"):
        if key in row:
            try:
                row[key] = json.loads(row[key]) if row[key] else []
            except ValueError:
                row[key] = []
    if "state" in row:
        row["state"] = row["state"] or "draft"
    if "version" in row:
        row["version"] = int(row["version"] or 1)
    return row


def _dicts(cur: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cur]


def clean_tags(tags: list[str]) -> list[str]:
    return [t.strip() for t in tags if t.strip()][:MAX_TAGS]


class FindingTables:
    db: sqlite3.Connection

    def add_finding(
        self,
        *,
        time: str,
        author: str,
        title: str,
        note: str,
        tags: list[str],
        cites: list[dict[str, Any]],
    ) -> int:
        """A new finding, a draft at version 1; returns its id."""
        title = title.strip()[:MAX_TITLE]
        if not title:
            raise BadArguments("a finding needs a title")
        tags_json = json.dumps(clean_tags(tags), ensure_ascii=False)
        cur = self.db.execute(
            "INSERT INTO findings (time, author, title, note, tags, cites, state, version, "
            "updated, editor) VALUES (?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?)",
            (time, author, title, note.strip()[:MAX_NOTE], tags_json,
             json.dumps(cites, ensure_ascii=False), time, author),
        )  # fmt: skip
        fid = int(cur.lastrowid or 0)
        self._history(fid, time, author, "add")
        return fid

    def finding(self, finding_id: int) -> dict[str, Any] | None:
        found = _dicts(self.db.execute("SELECT * FROM findings WHERE id = ?", (finding_id,)))
        return _decode(found[0]) if found else None

    def _need(self, finding_id: int) -> dict[str, Any]:
        found = self.finding(finding_id)
        if found is None:
            raise NoFinding(f"no finding {finding_id}")
        return found

    def edit_finding(
        self,
        finding_id: int,
        *,
        base: int,
        time: str,
        editor: str,
        title: str,
        note: str,
        tags: list[str],
    ) -> dict[str, Any]:
        """Save a new version of the finding's title, note and tags, if it is still at
        version ``base``; returns the finding as saved. ``FindingConflict`` otherwise."""
        title = title.strip()[:MAX_TITLE]
        if not title:
            raise BadArguments("a finding needs a title")
        self._need(finding_id)
        cur = self.db.execute(
            "UPDATE findings SET title = ?, note = ?, tags = ?, version = COALESCE(version, 1) + 1, "
            "state = 'draft', updated = ?, editor = ? WHERE id = ? AND COALESCE(version, 1) = ?",
            (title, note.strip()[:MAX_NOTE], json.dumps(clean_tags(tags), ensure_ascii=False),
             time, editor, finding_id, base),
        )  # fmt: skip
        if cur.rowcount != 1:
            raise FindingConflict(self._need(finding_id), base)
        self._history(finding_id, time, editor, "edit")
        return self._need(finding_id)

    def review_finding(
        self, finding_id: int, state: str, *, time: str, actor: str
    ) -> tuple[str, dict[str, Any]]:
        """Move the finding to review ``state``; returns the state it was in and the
        finding as saved. Forward one step at a time (a draft is checked before it is
        published), back to any earlier state."""
        if state not in STATES:
            raise BadArguments(f"unknown review state {state!r}: one of {', '.join(STATES)}")
        found = self._need(finding_id)
        old = found["state"]
        if STATES.index(state) > STATES.index(old) + 1:
            raise BadArguments(
                f"finding {finding_id} is {old}: it is {STATES[STATES.index(old) + 1]} "
                f"before it is {state}"
            )
        if state == old:
            return old, found
        cur = self.db.execute(
            "UPDATE findings SET state = ?, updated = ?, editor = ? WHERE id = ? "
            "AND COALESCE(state, 'draft') = ?",
            (state, time, actor, finding_id, old),
        )
        if cur.rowcount != 1:  # reviewed by someone else at this very moment
            raise FindingConflict(self._need(finding_id), found["version"])
        self._history(finding_id, time, actor, "review")
        return old, self._need(finding_id)

    def comment_finding(self, finding_id: int, *, time: str, author: str, text: str) -> int:
        """Add a comment; returns its id."""
        text = text.strip()[:MAX_COMMENT]
        if not text:
            raise BadArguments("an empty comment")
        self._need(finding_id)
        cur = self.db.execute(
            "INSERT INTO finding_comments (finding_id, time, author, text) VALUES (?, ?, ?, ?)",
            (finding_id, time, author, text),
        )
        return int(cur.lastrowid or 0)

    def finding_comments(self, finding_id: int | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE finding_id = ?", (finding_id,)) if finding_id else ("", ())
        return _dicts(
            self.db.execute(f"SELECT * FROM finding_comments {where} ORDER BY id", params)
        )

    def finding_history(self, finding_id: int) -> list[dict[str, Any]]:
        """What happened to the finding, oldest first: each version saved, each review."""
        return [
            _decode(r)
            for r in _dicts(
                self.db.execute(
                    "SELECT * FROM finding_history WHERE finding_id = ? ORDER BY id",
                    (finding_id,),
                )
            )
        ]

    def _history(self, finding_id: int, time: str, actor: str, action: str) -> None:
        self.db.execute(
            "INSERT INTO finding_history (finding_id, time, actor, action, version, state, "
            "title, note, tags) SELECT id, ?, ?, ?, COALESCE(version, 1), "
            "COALESCE(state, 'draft'), title, note, tags FROM findings WHERE id = ?",
            (time, actor, action, finding_id),
        )
