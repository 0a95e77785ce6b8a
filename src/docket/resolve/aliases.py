"""Aliases: a name and another name of the same person (a kunya, a nom de guerre, a
laqab), linked from evidence, each piece cited, and joined into one entity once the
evidence is strong enough or the analyst confirms it.

Evidence (one *unit* per kind and item; its weight ``WEIGHTS``):

- ``record`` — one row of a roster gives a name and, in a kunya / alias / "known as"
  column, the alias (``enrich.tables``);
- ``phrase`` — a text says so: "المكنى بـ", "الملقب بـ", "المعروف بـ", "المدعو", "known as",
  "a.k.a.", "alias", "nom de guerre", "real name" (``enrich.aliases``);
- ``signature`` — an e-mail's or letter's sender, as its header names him, signs the body
  with another name;
- ``phone`` / ``email`` / ``iban`` — one number, address or account held by two names
  (a roster's phone column, an e-mail's From header, a line naming one person beside
  the identifier); one held by more than ``MAX_HOLDERS`` names is a shared line, no
  evidence.

A link's score is ``1 − Π(1 − w)`` over its units, so the same pair stated again in
another document raises it; a bare kunya (no nisba or other part beside it) weighs
``BARE_KUNYA`` times as much. At ``CONFIRM`` or above the link is ``confirmed`` and joins
the two names' entities; below, it is ``possible``, shown but not joined. Never linked:
a bare common kunya (أبو علي, Abu Muhammad: ``text.names.aliases.COMMON_KUNYA_NAMES``);
two names that share a kunya but differ in nisba; two spellings of one name (that is
the resolver's work). An alias that evidence ties to two different people is held at
``possible`` (``ambiguous``). The analyst's ``confirm`` or ``reject`` (``decisions`` of
kind ``alias``) wins, and is re-applied on every run like merges and splits.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from docket.resolve.names import parse, skeleton
from docket.resolve.run import ORG_WORDS, Member, spelling_key
from docket.resolve.score import compare, token_relation
from docket.text.names import aliases as lexicon
from docket.text.names.parser import NameParts

CONFIRM = 0.8  # a link at or above this score is confirmed by its evidence
WEIGHTS = {
    "record": 0.85,  # a roster row states it
    "phrase": 0.85,  # a text states it
    "signature": 0.5,  # a sender signs with another name (a secretary may sign for him)
    "phone": 0.4,  # one phone number held by two names (family and offices share them)
    "email": 0.45,
    "iban": 0.5,
}
BARE_KUNYA = 0.75  # a kunya alone names fewer people than a kunya with a nisba
MAX_HOLDERS = 3  # an identifier held by more names is a shared line, not evidence
STATUSES = ("possible", "confirmed", "rejected")


@dataclass(slots=True)
class Statement:
    """One piece of evidence that ``name`` and ``alias`` are one person."""

    name: str  # as written
    alias: str
    cite: dict[str, Any]  # kind, item, and where: sheet/row/column or segment/start/end; quote
    roles: bool = True  # False when either name could be the alias (a shared phone)


@dataclass(slots=True)
class Link:
    id: str
    name: str  # the name as first written
    alias: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    score: float = 0.0
    status: str = "possible"
    decided: str = "evidence"  # evidence | analyst
    decision: int | None = None
    note: str = ""
    name_entity: str | None = None
    alias_entity: str | None = None
    spellings: dict[str, list[str]] = field(default_factory=dict)  # "name", "alias"
    refs: dict[str, list[str]] = field(default_factory=dict)  # members each side matched

    def row(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in ("id", "name", "alias", "score", "status",
                                             "decided", "decision", "note", "name_entity",
                                             "alias_entity", "evidence", "spellings")}  # fmt: skip
        out["score"] = round(self.score, 3)
        return out


# -- evidence from the catalogue's rows -------------------------------------------------


def _loads(v: Any) -> Any:
    return json.loads(v) if isinstance(v, str) else v or {}


def statements(rows: dict[str, list[dict[str, Any]]]) -> list[Statement]:
    """Every statement the catalogue's rows make (``Store.resolution_rows`` plus
    ``alias_rows``: the ``alias`` and ``contact`` mentions)."""
    out: list[Statement] = []
    holders: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for r in rows.get("records", []):
        if r["kind"] != "person":
            continue
        f = _loads(r["fields"])
        name, columns = f.get("name"), f.get("columns") or {}
        if not isinstance(name, str) or not name.strip():
            continue
        where = {"item": r["item_id"], "sheet": r["sheet"], "row": r["row"]}
        name_col = next((k for k, v in columns.items() if v == name), "name")
        for alias in [f.get("kunya"), *(f.get("aliases") or [])]:
            if isinstance(alias, str) and alias.strip():
                col = next((k for k, v in columns.items() if v == alias), "kunya")
                quote = f"{name_col}: {name} | {col}: {alias}"
                out.append(Statement(name, alias, {"kind": "record", **where, "column": col,
                                                   "quote": quote}))  # fmt: skip
        for kind in ("phone", "email", "iban"):  # typed by the column's header
            if isinstance(f.get(kind), str) and f[kind].strip():
                quote = " | ".join(f"{k}: {v}" for k, v in columns.items())
                holders[(kind, _identifier(kind, f[kind]))].append(
                    (name, {**where, "quote": quote})
                )
    for m in rows.get("aliases", []):
        a = _loads(m["attrs"])
        where = {"item": m["item_id"], "segment": m["segment"], "start": m["start"],
                 "end": m["end"], "quote": a.get("quote") or m["text"]}  # fmt: skip
        if m["kind"] == "alias" and a.get("name"):
            kind = "signature" if a.get("evidence") == "signature" else "phrase"
            cite = {"kind": kind, **where, "cue": a.get("cue")}
            out.append(Statement(a["name"], m["text"], cite, roles=kind == "phrase"))
        elif m["kind"] == "contact" and a.get("name") and a.get("id_kind") in WEIGHTS:
            value = _identifier(a["id_kind"], m["value"] or m["text"])
            holders[(a["id_kind"], value)].append((a["name"], where))
    for x in rows.get("relations", []):
        a = _loads(x["attrs"])
        for end in ("source", "target"):
            addr, name = a.get(f"{end}_address"), a.get(f"{end}_name")
            if addr and name and name != addr:
                quote = x[end]
                cite = {"item": x["item_id"], "quote": quote}
                holders[("email", _identifier("email", addr))].append((name, cite))
    out.extend(_shared(holders))
    return out


def _identifier(kind: str, value: str) -> str:
    """An identifier as two holders compare it: an e-mail address in lower case, an IBAN
    without spaces in upper case (phones arrive in E.164 from ``enrich``)."""
    if kind == "iban":
        return "".join(value.split()).upper()
    return value.strip().lower()


def _shared(holders: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]]) -> list[Statement]:
    out = []
    for (kind, value), held in sorted(holders.items()):
        first: dict[str, tuple[str, dict[str, Any]]] = {}
        for name, cite in held:
            first.setdefault(name_key(name), (name, cite))
        if not 2 <= len(first) <= MAX_HOLDERS:
            continue
        names = list(first.values())
        for i, (a, cite_a) in enumerate(names):
            for b, cite_b in names[i + 1 :]:
                cite = {"kind": kind, "value": value, "item": cite_a["item"],
                        "cites": [{"name": a, **cite_a}, {"name": b, **cite_b}],
                        "quote": f"{cite_a['quote']} — {cite_b['quote']}"}  # fmt: skip
                out.append(Statement(a, b, cite, roles=False))
    return out


# -- weighing ---------------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def _parts(text: str) -> NameParts:
    return parse(text)


def name_key(text: str) -> str:
    """A name's identity for links: its parts' consonant skeletons, in both scripts."""
    p = _parts(text)
    return "|".join(
        " ".join(skeleton(v) for v in vs)
        for vs in (p.kunya, (p.ism,) if p.ism else (), p.nasab, p.nisba)
    )


@cache
def _common_kunyas() -> frozenset[str]:
    return frozenset(skeleton(k) for w in lexicon.COMMON_KUNYA_NAMES.split()
                     for k in _parts(("أبو " if w[0] > "z" else "Abu ") + w).kunya)  # fmt: skip


def bare_kunya(p: NameParts) -> bool:
    return bool(p.kunya) and not (p.ism or p.nasab or p.nisba)


def common_kunya(p: NameParts) -> bool:
    """A bare kunya of a common name: "أبو علي", "Abu Muhammad"."""
    return bare_kunya(p) and all(skeleton(k) in _common_kunyas() for k in p.kunya)


def refusal(name: str, alias: str) -> str | None:
    """Why two names are never linked, or None."""
    a, b = _parts(name), _parts(alias)
    if not a.tokens or not b.tokens or ORG_WORDS.search(name) or ORG_WORDS.search(alias):
        return "not two personal names"
    if common_kunya(a) or common_kunya(b):
        return "a bare common kunya"
    if name_key(name) == name_key(alias) or compare(a, b).match:
        return "one name, two spellings"
    if set(b.tokens) <= set(a.tokens) or set(a.tokens) <= set(b.tokens):
        return "one name holds the other"
    if a.kunya and b.kunya and a.nisba and b.nisba:
        kunya = max((token_relation(x, y) for x in a.kunya for y in b.kunya), key=lambda r: r[1])
        nisba = max((token_relation(x, y) for x in a.nisba for y in b.nisba), key=lambda r: r[1])
        if kunya[0] == "agree" and nisba[0] == "conflict":
            return "a shared kunya with different nisbas"
    return None


def _alias_like(p: NameParts) -> bool:
    return (bool(p.kunya) and not p.ism) or len(p.tokens) == 1


def link_id(a: str, b: str) -> str:
    return "a" + hashlib.sha1("\x00".join(sorted((a, b))).encode()).hexdigest()[:10]


def weigh(found: list[Statement], decisions: Iterable[dict[str, Any]] = ()) -> list[Link]:
    """Links from statements, scored, with the analyst's decisions applied."""
    links: dict[str, Link] = {}
    units: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    texts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for st in found:
        if refusal(st.name, st.alias):
            continue
        ka, kb = name_key(st.name), name_key(st.alias)
        lid = link_id(ka, kb)
        link = links.setdefault(lid, Link(lid, st.name, st.alias))
        link.evidence.append(st.cite)
        for key, text in ((ka, st.name), (kb, st.alias)):
            if text not in texts[lid][key]:
                texts[lid][key].append(text)
        votes[lid][kb] += 1.0 if st.roles else 0.1 * _alias_like(_parts(st.alias))
        votes[lid][ka] += 0.0 if st.roles else 0.1 * _alias_like(_parts(st.name))
        kind = st.cite["kind"]
        unit = (kind, st.cite["value"] if "value" in st.cite else st.cite["item"])
        bare = bare_kunya(_parts(st.name)) or bare_kunya(_parts(st.alias))
        units[lid][unit] = WEIGHTS[kind] * (BARE_KUNYA if bare else 1.0)
    for lid, link in links.items():
        keys = sorted(texts[lid], key=lambda k: (votes[lid][k], k))
        name_side, alias_side = keys[0], keys[-1]
        link.spellings = {"name": texts[lid][name_side], "alias": texts[lid][alias_side]}
        link.name, link.alias = link.spellings["name"][0], link.spellings["alias"][0]
        miss = 1.0
        for w in units[lid].values():
            miss *= 1.0 - w
        link.score = 1.0 - miss
        link.status = "confirmed" if link.score >= CONFIRM else "possible"
    _ambiguous(list(links.values()))
    for d in sorted(decisions, key=lambda d: (d["time"], d["id"])):
        payload = _loads(d["payload"])
        if d["kind"] == "alias" and payload.get("link") in links:
            link = links[payload["link"]]
            link.status = "confirmed" if payload.get("verdict") == "confirm" else "rejected"
            link.decided, link.decision = "analyst", d["id"]
    return sorted(links.values(), key=lambda x: (-x.score, x.id))


def _ambiguous(links: list[Link]) -> None:
    """An alias that confirmed links give to two different people is theirs only when the
    analyst says so."""
    by_alias: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        if link.status == "confirmed":
            by_alias[name_key(link.alias)].append(link)
    for group in by_alias.values():
        for x in group:
            others = [y for y in group if y is not x and name_key(y.name) != name_key(x.name)
                      and not compare(_parts(x.name), _parts(y.name)).match]  # fmt: skip
            if others:
                x.status = "possible"
                x.note = f"ambiguous: {x.alias} is also linked to {others[0].name}"


def links_for(store: Any, rows: dict[str, list[dict[str, Any]]]) -> list[Link]:
    """The case's alias links, weighed, with the analyst's decisions (``store``: the
    catalogue, with ``alias_rows`` and ``decisions``); none from a store without them."""
    if not hasattr(store, "alias_rows"):
        return []
    return weigh(statements({**rows, "aliases": store.alias_rows()}), store.decisions())


# -- joining, inside a resolution run ---------------------------------------------------


def place(
    links: list[Link],
    groups: list[list[Member]],
    explains: list[dict[str, Any]],
    group_of: dict[str, int],
    spellings: list[list[Member]],
    keys: list[str],
    parsed: list[NameParts],
) -> None:
    """Find each link's two names among the person spellings (the same spelling, or a
    spelling the resolver would join to it) and join the groups of a confirmed link."""
    if not links:
        return
    exact = {k: i for i, k in enumerate(keys)}
    by_skeleton: dict[str, set[int]] = defaultdict(set)
    for i, p in enumerate(parsed):
        for _, v in p.parts():
            by_skeleton[skeleton(v)].add(i)

    def find(texts: list[str]) -> list[int]:
        found: set[int] = set()
        for text in texts:
            if (i := exact.get(spelling_key(text))) is not None:
                found.add(i)
            p = _parts(text)
            counts: dict[int, int] = defaultdict(int)
            for v in {skeleton(v) for _, v in p.parts()}:
                for i in by_skeleton.get(v, ()):
                    counts[i] += 1
            found.update(i for i, n in counts.items() if n >= 2 and compare(p, parsed[i]).match)
        return sorted(found)

    for link in links:
        sides = {side: find(link.spellings[side]) for side in ("name", "alias")}
        link.refs = {side: [spellings[i][0].ref for i in idx] for side, idx in sides.items()}
        if link.status != "confirmed" or not sides["name"] or not sides["alias"]:
            continue
        targets = sorted({group_of[spellings[i][0].ref] for s in sides.values() for i in s})
        into = targets[0]
        for g in targets[1:]:
            for m in groups[g]:
                group_of[m.ref] = into
            groups[into].extend(groups[g])
            explains[into].setdefault("merged_from", []).append(explains[g])
            groups[g] = []
        joined = {"link": link.id, "name": link.name, "alias": link.alias}
        explains[into].setdefault("aliases", []).append(
            {**joined, "score": round(link.score, 3), "decided": link.decided}
        )


def entities_of(links: list[Link], entities: list[dict[str, Any]]) -> None:
    """Each link's two entities, after the run (the same one for a joined link)."""
    wanted = {ref for link in links for refs in link.refs.values() for ref in refs}
    holder: dict[str, str] = {}
    if wanted:  # the links' refs among every entity's members, looked up in C
        for e in entities:
            holder.update(dict.fromkeys(wanted.intersection(e["members"]), e["id"]))
    for link in links:
        for side, attr in (("name", "name_entity"), ("alias", "alias_entity")):
            found = [holder[r] for r in link.refs.get(side, []) if r in holder]
            setattr(link, attr, found[0] if found else None)


# -- the analyst's verdict --------------------------------------------------------------


def decide(store: Any, link: str, verdict: str, actor: str | None = None) -> int:
    """Record the analyst's ``confirm`` or ``reject`` of a link (an id from
    ``alias_links``) as a decision, kept and re-applied on every run, and re-resolve so
    it shows at once; returns the decision's id."""
    from docket.resolve.decisions import DecisionError, _now
    from docket.resolve.run import resolve_store

    if verdict not in ("confirm", "reject"):
        raise DecisionError(f"a link is confirmed or rejected, not {verdict!r}")
    found = store.db.execute("SELECT name, alias FROM alias_links WHERE id = ?", (link,)).fetchone()
    if found is None:
        raise DecisionError(f"no alias link {link!r}")
    payload = {"link": link, "verdict": verdict, "name": found[0], "alias": found[1]}
    decision = int(store.add_decision(_now(), "alias", payload, actor or getpass.getuser()))
    resolve_store(store)
    return decision
