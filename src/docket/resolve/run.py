"""One resolution run: read every name the extraction stages left (mentions, record
fields, correspondence endpoints), cluster them into entities, apply the analyst's
decisions in the order they were made, and write entities and their members.

The catalogue is passed in (``Store``), never imported: resolve stays free of ``index``.
A run replaces every entity, so it is idempotent and cheap to repeat after each ingest
and after each merge or split.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any, Protocol

from docket.model.refs import MemberRef
from docket.resolve.cluster import cluster_names
from docket.resolve.names import parse, parse_with_hints, skeleton
from docket.text.names import lexicon as lx
from docket.text.names.folding import fold
from docket.text.normalize import normalize as fold_arabic
from docket.text.scripts import is_arabic
from docket.text.xscript_roman import romanise

ORG_WORDS = re.compile(
    r"\b(office|bureau|ministry|committee|council|department|company|bank|brigade|battalion|"
    r"diwan|division|group|agency|administration|foundation|association)\b|"
    r"(ديوان|مكتب|وزارة|لجنة|مجلس|شركة|مصرف|بنك|كتيبة|لواء|دائرة|مؤسسة|جمعية|ولاية)",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"<[^>]*>|\S+@\S+")
_SPACE = re.compile(r"\s+")
_ORDER = attrgetter("order", "ref")  # a member's place in first-seen order
_TEXT = attrgetter("text")
_REF = attrgetter("ref")


class Store(Protocol):
    """What resolution needs from the catalogue (``docket.store.catalogue.Catalogue``)."""

    def resolution_rows(self) -> dict[str, list[Any]]: ...
    def decisions(self) -> list[dict[str, Any]]: ...
    def replace_entities(
        self,
        entities: list[dict[str, Any]],
        members: list[tuple[str, str]],
        items: dict[str, Any] | None = None,
    ) -> None: ...


@dataclass(slots=True)
class Member:
    ref: str  # a MemberRef as stored: "mention:<id>", "record:<id>[:payer]", "relation:<id>:source|target"
    type: str  # person | org | place
    text: str  # as written
    order: tuple[int, int, int]  # (item rowid, segment or row, offset): first-seen order
    stable: str  # survives re-ingest: item id and position, for entity ids and decisions
    item: str
    # The parts the extraction stage found apart (a mention's attrs), as stored: JSON text
    # decoded only for the one spelling of each key that is parsed (``hints``).
    attrs: str | dict[str, Any] | None = None

    @property
    def hints(self) -> dict[str, Any]:
        attrs = self.attrs
        if isinstance(attrs, str):
            return dict(json.loads(attrs))
        return attrs or {}


def members_from(rows: dict[str, list[Any]]) -> list[Member]:
    """Turn catalogue rows into members; names with only an address are left out.
    Mentions are rows read by position (``Store.resolution_rows``), the rest dicts."""
    head = MemberRef.prefix_range("mention")[0]  # a mention's ref is "mention:<id>"
    out: list[Member] = [
        Member(f"{head}{id_}", kind, text, (rowid, seg, start), f"m:{item}:{seg}:{start}", item, attrs)
        for id_, item, seg, start, kind, text, attrs, rowid in rows.get("mentions", ())
    ]  # fmt: skip
    for r in rows.get("records", []):
        fields = json.loads(r["fields"]) if isinstance(r["fields"], str) else r["fields"]
        main = fields.get("name") or fields.get("payee")
        for key, name, role in (("name", main, None), ("payer", fields.get("payer"), "payer")):
            if not isinstance(name, str) or not name.strip():
                continue
            # An entity file's organisations and places say what they are (enrich.ftm).
            kind = r["kind"] if role is None and r["kind"] in ("org", "place") else _kind_of(name)
            out.append(Member(MemberRef.text("record", r["id"], role), kind, name.strip(),
                              (r["rowid"], r["row"] or 0, 0),
                              f"r:{r['item_id']}:{r['sheet']}:{r['row']}:{key}", r["item_id"],
                              {"kunya": fields.get("kunya")} if key == "name" else {}))  # fmt: skip
    for x in rows.get("relations", []):
        for end in ("source", "target"):
            name = _ADDRESS.sub(" ", x[end] or "").strip(" \"'")
            if not name:
                continue
            out.append(Member(MemberRef.text("relation", x["id"], end), _kind_of(name), name,
                              (x["rowid"], 0, 0), f"x:{x['item_id']}:{end}:{name}", x["item_id"]))  # fmt: skip
    return out


@lru_cache(maxsize=100_000)  # a ledger names the same payees and payers row after row
def _kind_of(name: str) -> str:
    return "org" if ORG_WORDS.search(name) else "person"


@lru_cache(maxsize=200_000)  # one call per member: a case writes few distinct spellings
def spelling_key(text: str) -> str:
    """Spellings equal up to case, diacritics and spacing are one spelling."""
    return _SPACE.sub(" ", fold_arabic(text)).strip(" .,:;-")


@lru_cache(maxsize=100_000)  # a case names the same places and offices again and again
def place_key(text: str) -> str:
    """Organisations and places: romanised consonant skeletons of the content words."""
    words = [w for w in re.split(r"[^\w]+", fold_arabic(text)) if w]
    keys = []
    for w in words:
        latin = romanise(w) if is_arabic(w) else w
        for part in re.split(r"[^A-Za-z]+", latin):
            low = part.lower()
            if low and low not in lx.ARTICLES and low not in ("of", "the", "and"):
                keys.append(skeleton(fold(low)) or fold(low))
    return " ".join(sorted(keys))


def prepare(names: Iterable[tuple[str, str]]) -> None:
    """Parse names as they arrive, ``(kind, text)`` of person, organisation and place
    mentions, into the caches a run reads (``parse`` and ``place_key``): most of what a
    run costs a name is romanising its Arabic words, done here while the enrich stage's
    workers still run rather than after them, on one core."""
    for kind, text in names:
        if kind == "person":
            if spelling_key(text):
                parse(text)
        elif kind in ("org", "place"):
            place_key(text)


ID_PREFIX = {"person": "p", "org": "o", "place": "l"}  # l for location: p is taken


def entity_id(kind: str, stable: str) -> str:
    prefix = ID_PREFIX.get(kind, kind[:1])
    return prefix + hashlib.sha1(f"{kind}\x00{stable}".encode()).hexdigest()[:11]


def resolve(
    members: list[Member], decisions: Iterable[dict[str, Any]] = (), aliases: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Entities (with ``members`` and ``explain``) from members and analyst decisions;
    confirmed ``aliases`` (``docket.resolve.aliases.Link``) join their two names."""
    group_of: dict[str, int] = {}  # member ref -> group number
    groups: list[list[Member]] = []
    explains: list[dict[str, Any]] = []
    by_type: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        by_type[m.type].append(m)
    for kind, ms in sorted(by_type.items()):
        spellings: dict[str, list[Member]] = defaultdict(list)
        keyer = spelling_key if kind == "person" else place_key
        for key, m in zip(map(keyer, map(_TEXT, ms)), ms, strict=True):
            if key:
                spellings[key].append(m)
        keys = list(spellings)
        if kind == "person":
            parsed = [parse_with_hints(spellings[k][0].text, spellings[k][0].hints) for k in keys]
            result = cluster_names(parsed)
            for n, idxs in enumerate(result.groups):
                pairs = [{"a": spellings[keys[j.a]][0].text, "b": spellings[keys[j.b]][0].text,
                          **j.verdict.evidence()} for j in result.joins.get(n, [])[:50]]  # fmt: skip
                _add(groups, explains, group_of, [m for i in idxs for m in spellings[keys[i]]],
                     {"method": "name-parts", "pairs": pairs})  # fmt: skip
            if aliases:  # alias links: the two names of one person (docket.resolve.aliases)
                from docket.resolve.aliases import place

                place(list(aliases), groups, explains, group_of, [spellings[k] for k in keys], keys, parsed)  # fmt: skip
        else:
            for k in keys:
                _add(groups, explains, group_of, spellings[k], {"method": "key", "key": k})
    _apply_decisions(groups, explains, group_of, members, decisions)
    return [_entity(g, e) for g, e in zip(groups, explains, strict=True) if g]


def _add(groups: list[list[Member]], explains: list[dict[str, Any]], group_of: dict[str, int],
         ms: list[Member], explain: dict[str, Any]) -> None:  # fmt: skip
    group_of.update(dict.fromkeys(map(_REF, ms), len(groups)))
    groups.append(list(ms))
    explains.append(explain)


def _apply_decisions(groups: list[list[Member]], explains: list[dict[str, Any]],
                     group_of: dict[str, int], members: list[Member],
                     decisions: Iterable[dict[str, Any]]) -> None:  # fmt: skip
    """Replay decisions oldest first, so a later decision wins over an earlier one."""
    held = in_force(decisions)
    if not held:
        return
    by_stable = {m.stable: m for m in members}
    by_ref = {m.ref: m for m in members}

    def locate(stable: str | None, ref: str | None) -> Member | None:
        return by_stable.get(stable or "") or by_ref.get(ref or "")

    for d in held:
        payload = d["payload"]
        if d["kind"] == "merge":
            found = [locate(a.get("stable"), a.get("ref")) for a in payload.get("anchors", [])]
            targets = sorted({group_of[m.ref] for m in found if m is not None})
            if len(targets) < 2:
                continue
            into = targets[0]
            for g in targets[1:]:
                for m in groups[g]:
                    group_of[m.ref] = into
                groups[into].extend(groups[g])
                explains[into].setdefault("merged_from", []).append(explains[g])
                groups[g] = []
            explains[into].setdefault("decisions", []).append(d["id"])
        elif d["kind"] == "split":
            split_out = locate(payload.get("stable"), payload.get("ref"))
            if split_out is None or len(groups[group_of[split_out.ref]]) < 2:
                continue
            old = group_of[split_out.ref]
            groups[old] = [x for x in groups[old] if x.ref != split_out.ref]
            explains[old].setdefault("decisions", []).append(d["id"])
            _add(
                groups, explains, group_of, [split_out], {"method": "split", "decisions": [d["id"]]}
            )


def in_force(decisions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The decisions that hold, oldest first, payloads decoded: an ``undo`` decision
    cancels the one it names, and an undo undone puts that one back."""
    ordered = sorted(
        ({**d, "payload": _payload(d["payload"])} for d in decisions),
        key=lambda d: (d["time"], d["id"]),
    )
    undone: set[int] = set()
    for d in reversed(ordered):  # the newest word on a decision wins
        if d["kind"] == "undo" and d["id"] not in undone:
            undone.add(int(d["payload"].get("decision") or 0))
    return [d for d in ordered if d["id"] not in undone]


def _payload(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else dict(json.loads(value))


def _entity(ms: list[Member], explain: dict[str, Any]) -> dict[str, Any]:
    ms = sorted(ms, key=_ORDER)
    counts = Counter(map(_TEXT, ms))
    # Display name: the most used spelling, Latin before Arabic on a tie, for the terminal.
    name = max(counts, key=lambda t: (counts[t], not is_arabic(t), len(t)))
    return {
        "id": entity_id(ms[0].type, ms[0].stable),
        "type": ms[0].type,
        "name": name,
        "variants": [t for t, _ in counts.most_common()],
        "mentions": len(ms),
        "explain": explain,
        "members": list(map(_REF, ms)),
        "anchor": {"stable": ms[0].stable, "ref": ms[0].ref},
    }


def resolve_store(store: Store) -> list[dict[str, Any]]:
    """Resolve everything in the catalogue and write the entities; returns them."""
    with _no_collection():
        return _resolve_store(store)


@contextmanager
def _no_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: a run makes some million objects that
    live until it ends (rows, members, their keys), and none that form a cycle; the
    collector, run over and over as they pile up, cost a fifth of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _resolve_store(store: Store) -> list[dict[str, Any]]:
    from docket.resolve.aliases import entities_of, links_for

    rows = store.resolution_rows()
    members = members_from(rows)
    links = links_for(store, rows)
    entities = resolve(members, store.decisions(), links)
    if hasattr(store, "replace_alias_links"):
        entities_of(links, entities)
        store.replace_alias_links([link.row() for link in links])
    # Each mention's item (its rowid; members_from lists mentions first), so the store
    # can count co-occurrence without reading every mention back.
    items = {m.ref: m.order[0] for m in members[: len(rows.get("mentions", []))]}
    store.replace_entities(
        entities, [(e["id"], ref) for e in entities for ref in e["members"]], items
    )
    return entities
