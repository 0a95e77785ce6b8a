"""A generated catalogue for comparing resolution runs: a few hundred person,
organisation and place mentions in Arabic and English (spellings of one person, look-alikes
with another nisba, bare kunyas), roster and payment records, correspondence, alias and
contact mentions, and the analyst's merges, splits, undos and alias verdicts, written
through ``Catalogue`` methods so that one builder fills a SQLite and a PostgreSQL
catalogue alike. Reproducible: the same rows, in the same order, on every call.

``dump`` is everything a resolution run writes (entities, members, alias links and the
co-occurrence links), as read back, for comparing two runs byte for byte."""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from docket.model.mentions import Mention
from docket.resolve.aliases import link_id, name_key
from docket.store.catalogue import Catalogue

# (kunya, ism, father, nisba): each part in Arabic and in two Latin spellings
KUNYAS = [("أبو عمار", "Abu Ammar", "Abou Ammar"), ("أبو مصعب", "Abu Musab", "Abu Mus'ab"),
          ("أبو عبيدة", "Abu Ubaida", "Abu Ubaydah"), ("أبو دجانة", "Abu Dujana", "Abu Dujanah")]  # fmt: skip
ISMS = [("حسن", "Hassan", "Hasan"), ("محمد", "Muhammad", "Mohammed"), ("خالد", "Khalid", "Khaled"),
        ("عمر", "Umar", "Omar"), ("يوسف", "Yusuf", "Youssef"), ("أحمد", "Ahmad", "Ahmed"),
        ("محمود", "Mahmud", "Mahmoud"), ("حسين", "Husayn", "Hussein")]  # fmt: skip
FATHERS = [
    ("إبراهيم", "Ibrahim", "Ebrahim"),
    ("علي", "Ali", "Aly"),
    ("سليمان", "Sulayman", "Suleiman"),
]
NISBAS = [("النعيمي", "al-Nuaimi", "al-Noaimy"), ("التميمي", "al-Tamimi", "al-Tamimy"),
          ("الجبوري", "al-Jubouri", "al-Jubori"), ("الدليمي", "al-Dulaimi", "al-Dulaymi"),
          ("العراقي", "al-Iraqi", "al-Iraki"), ("الرقاوي", "al-Raqqawi", "al-Rakkawi")]  # fmt: skip
ORGS = [("ديوان بيت المال", "Diwan of the Treasury"), ("مكتب الحسبة", "Hisba Office"),
        ("كتيبة الفاروق", "Al-Faruq Battalion"), ("شركة النور للتجارة", "Al-Nour Trading Company")]  # fmt: skip
PLACES = [("دير الزور", "Deir ez-Zor"), ("الميادين", "Mayadin"), ("الرقة", "Raqqa"),
          ("الموصل", "Mosul")]  # fmt: skip


def _person(rng: random.Random, script: int) -> tuple[str, dict[str, str]]:
    """A name in script 0 (Arabic) or a Latin spelling (1, 2), and the parts it has."""
    k, i, f, n = (rng.randrange(len(x)) for x in (KUNYAS, ISMS, FATHERS, NISBAS))
    shape = rng.choice(["kn", "ifn", "in", "kin", "k", "ifn"])
    parts: list[str] = []
    attrs: dict[str, str] = {}
    joiner = " بن " if script == 0 else " bin "
    if "k" in shape:
        parts.append(KUNYAS[k][script])
    if "i" in shape:
        parts.append(ISMS[i][script] + (joiner + FATHERS[f][script] if "f" in shape else ""))
    if "n" in shape:
        parts.append(NISBAS[n][script])
        if rng.random() < 0.3:  # the parts an NER rule found apart
            attrs = {"nisba": NISBAS[n][script]}
            if "k" in shape:
                attrs["kunya"] = KUNYAS[k][script]
    return " ".join(parts), attrs


def build(cat: Catalogue, items: int = 48, seed: int = 16) -> None:
    rng = random.Random(seed)
    for n in range(items):
        item = f"doc{n:03d}"
        cat.add_item({"id": item, "path": [f"{item}.txt"], "name": f"{item}.txt", "depth": 0,
                      "status": "ok", "type": "text"})  # fmt: skip
        mentions: list[Mention] = []
        for seg in range(rng.randint(1, 4)):
            start = 0
            for _ in range(rng.randint(1, 6)):
                roll, script = rng.random(), rng.randrange(3)
                if roll < 0.65:
                    text, attrs = _person(rng, script)
                    mentions.append(Mention("person", text, text, seg, start, start + len(text),
                                            "test", attrs))  # fmt: skip
                else:
                    kind, pool = ("org", ORGS) if roll < 0.82 else ("place", PLACES)
                    text = rng.choice(pool)[min(script, 1)]
                    mentions.append(
                        Mention(kind, text, text, seg, start, start + len(text), "test")
                    )
                start += len(text) + rng.randint(2, 40)
        if n % 11 == 5:  # a name kept only as its value
            mentions.append(Mention("person", "", "Abu Ammar al-Nuaimi", 9, 0, 0, "test"))
        if n % 7 == 3:  # a phrase gives an alias; a contact line a phone
            name, _ = _person(rng, 0)
            alias = KUNYAS[n % len(KUNYAS)][0] + " " + NISBAS[(n + 1) % len(NISBAS)][0]
            mentions.append(Mention("alias", alias, alias, 5, 10, 10 + len(alias), "test", {
                "evidence": "phrase", "name": name, "cue": "المكنى", "quote": f"{name} المكنى {alias}"}))  # fmt: skip
            mentions.append(Mention("contact", "0991 234 567", "+963991234567", 6, 0, 12, "test", {
                "evidence": "contact", "name": name if n % 2 else alias, "id_kind": "phone"}))  # fmt: skip
        cat.replace_mentions(item, mentions)
        if n % 6 == 0:  # a roster: names with their kunya and phone; a payment ledger
            records = []
            for row in range(2, 6):
                name, _ = _person(rng, row % 2)
                kunya = KUNYAS[(n + row) % len(KUNYAS)][row % 2]
                fields = {"name": name, "kunya": kunya, "phone": f"+96399{n:03d}{row:02d}",
                          "columns": {"الاسم": name, "الكنية": kunya}}  # fmt: skip
                records.append({"kind": "person", "sheet": "Sheet1", "row": row,
                                "method": "test", "fields": fields})  # fmt: skip
                payee, _ = _person(rng, 0)
                payer = rng.choice(ORGS)[0] if row % 2 else _person(rng, 1)[0]
                records.append({"kind": "payment", "sheet": "Sheet2", "row": row, "method": "test",
                                "fields": {"payee": payee, "payer": payer, "amount": "1500"}})  # fmt: skip
            records.append({"kind": "org", "sheet": None, "row": 9, "method": "test",
                            "fields": {"name": ORGS[n % len(ORGS)][1]}})  # fmt: skip
            cat.replace_records(item, records)  # type: ignore[arg-type]
        if n % 4 == 1:  # a letter: sender with an address, recipient
            sender, _ = _person(rng, 1)
            target, _ = _person(rng, 2)
            cat.replace_relations(item, [{
                "kind": "correspondence", "source": f"{sender} <s{n}@example.org>",
                "target": f'"{target}"', "date": "2019-03-02", "method": "test",
                "attrs": {"source_address": f"s{n}@example.org", "source_name": sender}}])  # fmt: skip


def add_decisions(cat: Catalogue) -> None:
    """The analyst's word, at fixed times: a merge, a split, a merge undone, and a
    verdict on each of two alias links (anchored on stable keys, as the CLI records)."""
    stable = [f"m:{r[0]}:{r[1]}:{r[2]}" for r in cat.db.execute(
        "SELECT item_id, segment, start FROM mentions WHERE kind = 'person' ORDER BY id")]  # fmt: skip
    anchors = [{"stable": s} for s in stable[3:5]]
    cat.add_decision("2026-01-01T00:00:01", "merge", {"anchors": anchors}, "test")
    cat.add_decision("2026-01-01T00:00:02", "split", {"stable": stable[7]}, "test")
    undone = cat.add_decision(
        "2026-01-01T00:00:03", "merge", {"anchors": [{"stable": s} for s in stable[10:12]]}, "test"
    )
    cat.add_decision("2026-01-01T00:00:04", "undo", {"decision": undone, "kind": "merge"}, "test")
    for n, (verdict, pair) in enumerate(
        [("reject", ("أبو عمار النعيمي", "حسن بن إبراهيم")), ("confirm", (NISBAS[0][0], "x"))]
    ):
        lid = link_id(name_key(pair[0]), name_key(pair[1]))
        cat.add_decision(
            f"2026-01-01T00:00:1{n}", "alias", {"link": lid, "verdict": verdict}, "test"
        )
    found = sorted(r[0] for r in cat.db.execute("SELECT id FROM alias_links"))
    for n, link in enumerate(found[:2]):  # verdicts on links that exist, once there are some
        verdict = "reject" if n else "confirm"
        cat.add_decision(
            f"2026-01-01T00:00:2{n}", "alias", {"link": link, "verdict": verdict}, "test"
        )


TABLES = {"entities": 1, "entity_members": 2, "alias_links": 1, "entity_links": 3}  # key columns


def dump(cat: Catalogue) -> dict[str, list[list[Any]]]:
    """Every row a resolution run writes, as stored, in key order (sorted here: the two
    databases' collations may differ)."""
    return {
        table: sorted(
            (list(r) for r in cat.db.execute(f"SELECT * FROM {table}")), key=lambda r, k=key: r[:k]
        )
        for table, key in TABLES.items()
    }


def digest(rows: dict[str, list[list[Any]]]) -> str:
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
