"""Analyst decisions: merge entities, split a member out. Each is stored in ``decisions``
citing members by their stable position (item and offset), not by entity id, because
entity ids follow clusters and clusters change as documents arrive; then resolution
re-runs so the decision shows at once and again after every later ingest."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from typing import Any, Protocol

from docket.model.refs import BadMemberRef, MemberRef
from docket.resolve.run import Store, in_force, members_from, resolve_store


class DecisionStore(Store, Protocol):
    def entity(self, entity_id: str) -> dict[str, Any] | None: ...
    def entity_members(self, entity_id: str | None = None) -> list[tuple[str, str]]: ...
    def add_decision(self, time: str, kind: str, payload: dict[str, Any], actor: str) -> int: ...


class DecisionError(ValueError):
    """The decision names an entity or member that does not exist."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _anchor(store: DecisionStore, entity_id: str, stable: dict[str, Any]) -> dict[str, str]:
    refs = [ref for _, ref in store.entity_members(entity_id)]
    if not refs:
        raise DecisionError(f"no entity {entity_id!r}")
    first = min((stable[r] for r in refs if r in stable), key=lambda m: (m.order, m.ref))
    return {"entity": entity_id, "stable": first.stable, "ref": first.ref}


def merge(store: DecisionStore, entity_ids: list[str], actor: str | None = None) -> dict[str, Any]:
    """Record that ``entity_ids`` are one entity; returns the merged entity."""
    if len(set(entity_ids)) < 2:
        raise DecisionError("merge needs two different entities")
    stable = {m.ref: m for m in members_from(store.resolution_rows())}
    anchors = [_anchor(store, e, stable) for e in entity_ids]
    store.add_decision(_now(), "merge", {"anchors": anchors}, actor or getpass.getuser())
    return _entity_holding(store, resolve_store(store), anchors[0]["ref"])


def split(
    store: DecisionStore, entity_id: str, member: str, actor: str | None = None
) -> dict[str, Any]:
    """Record that ``member`` (a mention id, or a ref like ``record:7``) is not the entity;
    returns the new entity holding it."""
    try:
        ref = str(
            MemberRef("mention", int(member)) if member.isdigit() else MemberRef.parse(member)
        )
    except BadMemberRef as exc:
        raise DecisionError(f"{member} is not a member of entity {entity_id}") from exc
    if ref not in {r for _, r in store.entity_members(entity_id)}:
        raise DecisionError(f"{ref} is not a member of entity {entity_id}")
    found = {m.ref: m for m in members_from(store.resolution_rows())}[ref]
    payload = {"entity": entity_id, "stable": found.stable, "ref": ref}
    store.add_decision(_now(), "split", payload, actor or getpass.getuser())
    return _entity_holding(store, resolve_store(store), ref)


def undo(store: DecisionStore, decision_id: int, actor: str | None = None) -> dict[str, Any]:
    """Record that decision ``decision_id`` (a merge, a split, or an undo) no longer
    holds, and re-run resolution without it; returns the undo decision as stored."""
    held = {d["id"]: d for d in in_force(store.decisions())}
    if decision_id not in held:
        raise DecisionError(f"no decision {decision_id} in force")
    payload = {"decision": decision_id, "kind": held[decision_id]["kind"]}
    new_id = store.add_decision(_now(), "undo", payload, actor or getpass.getuser())
    resolve_store(store)
    return {"id": new_id, "kind": "undo", "payload": payload}


def _entity_holding(store: Store, entities: list[dict[str, Any]], ref: str) -> dict[str, Any]:
    for e in entities:
        if ref in e["members"]:
            return {k: v for k, v in e.items() if k not in ("members", "anchor")}
    raise DecisionError(f"{ref} is in no entity")  # cannot happen: every member is placed
