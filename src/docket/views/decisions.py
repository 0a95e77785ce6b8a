"""Analyst decisions as ``docket decisions`` and the desk show them: each merge, split and
undo with the spellings it names, the entities that now hold them, and whether it is
still in force (an undo cancels one; ``docket.resolve.run.in_force``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docket.case import Case
from docket.model.refs import BadMemberRef, MemberRef
from docket.resolve.run import in_force
from docket.views.rows import loads, rows


def decisions(case: Case, entity_id: str | None = None) -> list[dict[str, Any]]:
    """``[{"id", "time", "kind", "actor", "in_force", "refs": [{"ref", "text", "entity",
    "name"}], "undoes", "summary"}]`` oldest first; with ``entity_id``, only those that
    name a member the entity now holds or that its resolution cites."""
    db = case.catalogue.db
    all_rows = rows(db, "SELECT id, time, kind, payload, actor FROM decisions ORDER BY time, id")
    for d in all_rows:
        d["payload"] = loads(d["payload"], {})
    holding = {d["id"] for d in in_force(all_rows)}
    by_id = {d["id"]: d for d in all_rows}
    out = []
    for d in all_rows:
        p = d["payload"]
        refs = [a.get("ref") for a in p.get("anchors", [])] if d["kind"] == "merge" else []
        if d["kind"] == "split":
            refs = [p.get("ref")]
        named = [_ref(db, r) for r in refs if isinstance(r, str)]
        undoes = p.get("decision") if d["kind"] == "undo" else None
        if undoes is not None:
            target = by_id.get(undoes)
            summary = f"undo {target['kind'] if target else '?'} {undoes}"
        else:
            summary = (" + " if d["kind"] == "merge" else ", ").join(
                r["text"] or r["ref"] for r in named
            )
        out.append(
            {
                "id": d["id"],
                "time": d["time"],
                "kind": d["kind"],
                "actor": d["actor"],
                "in_force": d["id"] in holding,
                "refs": named,
                "undoes": undoes,
                "summary": summary,
            }
        )
    if entity_id is None:
        return out
    entity = db.execute("SELECT explain FROM entities WHERE id = ?", (entity_id,)).fetchone()
    cited = set(_cited((loads(entity[0], {}) or {}) if entity else {}))
    return [d for d in out if d["id"] in cited or any(r["entity"] == entity_id for r in d["refs"])]


def _ref(db: Any, ref: str) -> dict[str, Any]:
    """A member reference with its text as written and the entity holding it now."""
    text = ""
    try:
        m = MemberRef.parse(ref)
    except BadMemberRef:
        m = None
    if m is not None and m.kind == "mention":
        row = db.execute("SELECT text FROM mentions WHERE id = ?", (m.id,)).fetchone()
        text = row[0] if row else ""
    elif m is not None and m.kind == "relation":
        row = db.execute("SELECT source, target FROM relations WHERE id = ?", (m.id,)).fetchone()
        if row:
            text = row[1] if m.role == "target" else row[0]
    held = db.execute(
        "SELECT e.id, e.name FROM entity_members m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.member = ?",
        (ref,),
    ).fetchone()
    return {
        "ref": ref,
        "text": text,
        "entity": held[0] if held else None,
        "name": held[1] if held else None,
    }


def _cited(explain: dict[str, Any]) -> list[int]:
    """Decision ids an entity's resolution cites, merged parts included."""
    out = [int(x) for x in explain.get("decisions", []) if isinstance(x, int)]
    for part in explain.get("merged_from", []) or []:
        if isinstance(part, dict):
            out += _cited(part)
    return out


def joins(explain: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Why the spellings of an entity are one: each pair of spellings resolution joined,
    with its score and the name parts that agree and conflict, and each part an analyst
    merged in (``how``: ``"name-parts"``, ``"key"`` or ``"merge"``, with the decisions)."""
    out: list[dict[str, Any]] = []
    if not explain:
        return out
    for pair in explain.get("pairs", []) or []:
        out.append({"how": explain.get("method", ""), **pair})
    for part in explain.get("merged_from", []) or []:
        if isinstance(part, dict):
            out.append({"how": "merge", "decisions": explain.get("decisions", [])})
            out += joins(part)
    return out


def decide(case: Case, kind: str, *args: Any, actor: str | None = None) -> dict[str, Any]:
    """Merge (``args``: the entity ids), split (the entity and member) or undo (the
    decision id), as ``docket.resolve.decisions`` does it, then log the decision in the
    case's custody log: the desk and the command line record it the same way."""
    from docket.resolve import decisions as resolve_decisions
    from docket.views.findings import analyst

    who = analyst(actor)
    actions: dict[str, Callable[..., dict[str, Any]]] = {
        "merge": resolve_decisions.merge, "split": resolve_decisions.split,
        "undo": resolve_decisions.undo,
    }  # fmt: skip
    do = actions[kind]
    done: dict[str, Any] = do(case.catalogue, *args, actor=who)
    row = case.catalogue.db.execute(
        "SELECT id, payload FROM decisions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    fields: dict[str, Any] = {"kind": kind, "actor": who, "decision": int(row[0]) if row else None}
    if kind == "merge":
        fields["entities"] = list(args[0])
    elif kind == "split":
        fields["entity"], fields["member"] = args[0], str(args[1])
    else:
        fields["undoes"] = args[0]
    fields["payload"] = loads(row[1], {}) if row else {}
    case.log("decision", **fields)
    return done
