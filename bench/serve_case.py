"""A generated case for the desk bench, written straight into the catalogue and the
tantivy index through Docket's own index-writing code (``Catalogue.add_item``,
``replace_segments``/``replace_mentions``/``replace_relations``, ``FullText.put`` with
the facets ``docket ingest`` would compute), without running extraction: the desk only
reads what those stages leave behind, and 100,000 items build in minutes, not hours.

What it holds, so the pages have realistic work to do:
- items in zip containers (paths three deep) beside loose files; text notes (a third in
  Arabic), CSV sheets whose cells carry names, e-mails with headers and a dated
  correspondence relation; some exact duplicates, some failed or encrypted items, and a
  few huge documents (thousands of pages);
- person and place mentions at their real spans, dates; 2,000 resolved people with a
  skewed number of mentions (a few appear everywhere, most a handful of times).
No original bytes are stored (``blobs/`` stays empty): downloads and page images are
not part of the bench.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

from docket.case import Case
from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.store import links
from docket.store.refresh import facets

EN = [
    "transfer",
    "payroll",
    "office",
    "salary",
    "ledger",
    "receipt",
    "weapons",
    "depot",
    "report",
    "meeting",
    "letter",
    "brother",
    "district",
    "finance",
    "bureau",
    "council",
    "budget",
    "supply",
    "unit",
    "request",
]
AR = [
    "تحويل",
    "رواتب",
    "مكتب",
    "راتب",
    "سجل",
    "إيصال",
    "مستودع",
    "تقرير",
    "اجتماع",
    "رسالة",
    "الأخ",
    "قطاع",
    "مالية",
    "ديوان",
    "ميزانية",
    "طلب",
    "مبلغ",
    "قائمة",
]
FIRST = [
    "Abu-Ammar",
    "Hassan",
    "Khalid",
    "Samir",
    "Omar",
    "Yusuf",
    "Ibrahim",
    "Mahmoud",
    "Ali",
    "Ahmad",
    "Mustafa",
    "Karim",
    "Tariq",
    "Faisal",
    "Walid",
    "Nabil",
    "Hamid",
    "Rashid",
    "Jamal",
    "Salim",
]
FIRST_AR = [
    "حسن",
    "خالد",
    "سمير",
    "عمر",
    "يوسف",
    "إبراهيم",
    "محمود",
    "علي",
    "أحمد",
    "مصطفى",
    "كريم",
    "طارق",
    "فيصل",
    "وليد",
    "نبيل",
    "حامد",
    "راشد",
    "جمال",
    "سليم",
    "عمار",
]
LAST = [
    "al-Nuaimi",
    "al-Jubouri",
    "al-Obaidi",
    "al-Ansari",
    "Abdullah",
    "al-Hamdani",
    "al-Dulaimi",
    "al-Tikriti",
    "al-Rawi",
    "al-Ani",
    "al-Shammari",
    "al-Zubaidi",
    "al-Janabi",
    "al-Azzawi",
    "al-Kubaisi",
    "al-Mashhadani",
    "al-Hiti",
    "al-Qaisi",
    "al-Fahdawi",
    "al-Issawi",
]
LAST_AR = [
    "النعيمي",
    "الجبوري",
    "العبيدي",
    "الأنصاري",
    "عبدالله",
    "الحمداني",
    "الدليمي",
    "التكريتي",
    "الراوي",
    "العاني",
    "الشمري",
    "الزبيدي",
    "الجنابي",
    "العزاوي",
    "الكبيسي",
    "المشهداني",
    "الهيتي",
    "القيسي",
    "الفهداوي",
    "العيساوي",
]
PLACES = [
    "Mosul",
    "Raqqa",
    "Deir-ez-Zor",
    "Tal-Afar",
    "Hawija",
    "Fallujah",
    "الموصل",
    "الرقة",
    "الحويجة",
    "الفلوجة",
]
PER_BOX = 50  # items per zip container
HUGE_EVERY = 10_000  # one huge document (thousands of pages) per this many items


def people() -> list[str]:
    """2,000 names, Latin and Arabic, in a fixed order (the first are the most mentioned)."""
    out: list[str] = []
    for k in range(2_000):
        if k % 3 == 2:
            out.append(f"{FIRST_AR[k % 20]} {FIRST_AR[k // 400]} {LAST_AR[(k // 20) % 20]}")
        else:
            out.append(f"{FIRST[k % 20].replace('-', ' ')} {LAST[(k // 20) % 20]} {k}")
    return out


class Writer:
    """Builds one document at a time: segments with their mentions at real spans."""

    def __init__(self, rnd: random.Random, names: list[str], weights: list[float]) -> None:
        self.rnd, self.names, self.weights = rnd, names, weights
        self.segments: list[Segment] = []
        self.mentions: list[Mention] = []

    def name(self) -> str:
        return self.rnd.choices(self.names, self.weights)[0]

    def prose(self, arabic: bool, words: int, **where: Any) -> None:
        parts: list[str] = []
        pos = 0
        seq = len(self.segments)
        vocab = AR if arabic else EN
        for k in range(words):
            if k % 37 == 5:
                kind, word = (
                    ("person", self.name()) if k % 2 else ("place", self.rnd.choice(PLACES))
                )
                self.mentions.append(Mention(kind, word, word, seq, pos, pos + len(word), "bench"))
            else:
                word = self.rnd.choice(vocab)
            parts.append(word)
            pos += len(word) + 1
        self.segments.append(Segment(" ".join(parts), **where))

    def sheet(self, rows: int) -> None:
        self.segments.append(Segment("name | amount | place | date", row=1))
        for r in range(2, rows + 2):
            seq, who, where = len(self.segments), self.name(), self.rnd.choice(PLACES)
            amount = str(self.rnd.randint(50, 900))
            text = f"{who} | {amount} | {where} | 2019-0{1 + r % 9}-1{r % 9}"
            self.mentions.append(Mention("person", who, who, seq, 0, len(who), "bench"))
            at = len(who) + 3 + len(amount) + 3
            self.mentions.append(Mention("place", where, where, seq, at, at + len(where), "bench"))
            self.segments.append(Segment(text, row=r))

    def date(self, iso: str) -> None:
        seq = len(self.segments)
        self.segments.append(Segment(f"Date: {iso}"))
        self.mentions.append(Mention("date", iso, iso, seq, 6, 6 + len(iso), "bench"))


def build(root: Path, n: int, seed: int = 1) -> None:
    """Write a case of ``n`` items at ``root`` (which must not hold a case yet)."""
    t0 = time.perf_counter()
    rnd = random.Random(seed)
    names = people()
    weights = [1 / (k + 1) ** 0.8 for k in range(len(names))]
    case = Case.open(root, create=True)
    cat, ft = case.catalogue, case.fulltext
    seen_sha: dict[str, str] = {}
    cat.begin()
    box: dict[str, Any] | None = None
    prev: tuple[Writer, str] | None = None
    for i in range(n):
        if i % 10_000 == 0 and i:
            cat.commit()
            ft.commit()
            cat.begin()
            print(f"  {i:,} items, {time.perf_counter() - t0:.0f} s", flush=True)
        if i % PER_BOX == 0:
            box = _item(
                f"bench-box-{i // PER_BOX:05d}", None, [f"seized/box{i // PER_BOX:05d}.zip"], "zip"
            )
            box["metadata"] = {"members": PER_BOX - 1}
            cat.add_item(box)
            ft.put(box, "")
            continue
        assert box is not None
        w = Writer(rnd, names, weights)
        kind = i % 10
        relations: list[dict[str, Any]] = []
        meta: dict[str, Any] = {}
        if i % HUGE_EVERY == 1:
            ftype, name = "pdf", f"minutes-{i}.pdf"
            for page in range(1, 2_001):
                w.prose(page % 3 == 0, 90, page=page)
        elif kind < 7:
            ftype, name = "text", f"note-{i}.txt"
            for _ in range(rnd.randint(1, 4)):
                w.prose(i % 3 == 0, rnd.randint(20, 120))
        elif kind < 9:
            ftype, name = "csv", f"payroll-{i}.csv"
            w.sheet(rnd.randint(5, 40))
        else:
            ftype, name = "eml", f"message-{i}.eml"
            day = f"2018-{1 + i % 12:02d}-{1 + i % 28:02d}"
            a, b = w.name(), w.name()
            meta = {"from": a, "to": b, "subject": f"re: {rnd.choice(EN)}", "date": day}
            w.date(day)
            w.prose(False, rnd.randint(30, 90))
            relations.append(
                {"kind": "correspondence", "source": a, "target": b, "date": day, "method": "bench"}
            )
        if i % 97 == 0 and prev is not None:
            w, ftype, relations, meta = prev[0], prev[1], [], {}  # an exact copy, renamed
        text = "\n".join(s.text for s in w.segments)
        sha = hashlib.sha256(text.encode()).hexdigest()
        item = _item(f"bench-{i:07d}", box["id"], [*box["path"], name], ftype)
        item.update(
            sha256=sha, size=len(text.encode()), metadata=meta, lang="ar" if i % 3 == 0 else "en"
        )
        item["duplicate_of"] = seen_sha.get(sha)
        seen_sha.setdefault(sha, item["id"])
        prev = (w, ftype)
        if i % 101 == 0:
            item.update(status="failed", code="corrupt", message="bench: truncated file")
        elif i % 211 == 0:
            item.update(status="encrypted", code="encrypted", message="bench: password protected")
        cat.add_item(item)
        cat.replace_segments(item["id"], w.segments)
        cat.replace_mentions(item["id"], w.mentions)
        cat.replace_relations(item["id"], relations)
        item["facets"] = facets({"kind": m.kind, "value": m.value} for m in w.mentions)
        ft.put(item, text)
    cat.commit()
    ft.close()
    _entities(cat.db, names)
    cat.db.execute("UPDATE items SET indexed = 1")
    custody(case)
    cat.close()
    print(f"built {n:,} items in {time.perf_counter() - t0:.0f} s", flush=True)


def reindex(root: Path) -> None:
    """Rebuild the full-text index from the catalogue, as ``docket ingest`` would after an
    index format change (opening the case dropped the old index and unmarked the items)."""
    t0 = time.perf_counter()
    case = Case.open(root)
    cat, ft = case.catalogue, case.fulltext
    ids = [r[0] for r in cat.db.execute("SELECT id FROM items WHERE indexed = 0 ORDER BY rowid")]
    for n, item_id in enumerate(ids, 1):
        item = cat.item(item_id)
        assert item is not None
        item["facets"] = facets(cat.mentions(item_id))
        ft.put(item, cat.text(item_id))
        if n % 10_000 == 0 or n == len(ids):
            ft.commit()
            cat.db.executemany(
                "UPDATE items SET indexed = 1 WHERE id = ?", [(i,) for i in ids[n - 10_000 : n]]
            )
            print(f"  reindexed {n:,} items, {time.perf_counter() - t0:.0f} s", flush=True)
    ft.close()
    cat.db.execute("UPDATE items SET indexed = 1")
    cat.close()


def custody(case: Case, batch: int = 500) -> None:
    """An ``items`` custody event per ``batch`` items, as ``docket ingest`` logs them."""
    rows = case.catalogue.db.execute("SELECT id, sha256, size, status FROM items ORDER BY rowid")
    chunk: list[list[Any]] = []
    for r in rows:
        chunk.append(list(r))
        if len(chunk) == batch:
            case.log("items", run=1, items=chunk)
            chunk = []
    if chunk:
        case.log("items", run=1, items=chunk)


def _item(item_id: str, parent: str | None, path: list[str], ftype: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "parent_id": parent,
        "path": path,
        "name": path[-1],
        "depth": len(path) - 1,
        "type": ftype,
        "extension": path[-1].rsplit(".", 1)[-1],
        "status": "ok",
        "indexed": 1,
        "size": 0,
    }


def _entities(db: sqlite3.Connection, names: list[str]) -> None:
    """One resolved person per generated name, made of all its mentions (and the ends of
    its correspondence), and the links counted from them, as the resolution stage would
    write them."""
    with db:
        db.execute("CREATE TEMP TABLE name_map (value TEXT PRIMARY KEY, eid TEXT)")
        db.executemany(
            "INSERT INTO name_map VALUES (?, ?)", [(v, f"bench-p-{k}") for k, v in enumerate(names)]
        )
        db.execute(
            "INSERT OR IGNORE INTO entity_members SELECT n.eid, 'mention:' || m.id "
            "FROM mentions m JOIN name_map n ON n.value = m.value WHERE m.kind = 'person'"
        )
        for end in ("source", "target"):
            db.execute(
                f"INSERT OR IGNORE INTO entity_members SELECT n.eid, 'relation:' || r.id || ':{end}' "
                f"FROM relations r JOIN name_map n ON n.value = r.{end}"
            )
        db.execute(
            "INSERT INTO entities (id, type, name, variants, mentions) "
            "SELECT n.eid, 'person', n.value, '[]', "
            "(SELECT count(*) FROM mentions m WHERE m.kind = 'person' AND m.value = n.value) "
            "FROM name_map n"
        )
        db.execute("DROP TABLE name_map")
    # Co-occurrence links, counted by the function a resolution run calls.
    db.execute("BEGIN")
    links.rebuild(db)
    db.execute("COMMIT")
