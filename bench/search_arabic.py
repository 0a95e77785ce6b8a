"""Arabic search benchmark: recall of spelling-variant queries (normalisation) and of
cross-script name queries, on a real tantivy index built with Docket's fields.

    .venv/bin/python bench/search_arabic.py [--pairs N] [--split dev|held-out|both]

Normalisation: generated documents each hold one written variant of a name (hamza and
alef forms, ى/ي, ة/ه, tatweel, diacritics, Persian letters, bidi marks, presentation
forms); the plain spelling must find every one (target 100%).

Cross-script: the pairs of ../shared/samples/names/ar2en-train.txt are split once, by a
hash of the pair, into ``dev`` (four fifths: the part the key rules in
``docket.text.xscript_rules`` were written against) and ``held-out`` (one fifth, not
looked at while writing the variant rules; the first skeleton rules predate the split and
cite sample names, so they may have seen either part). For each part, N pairs give two indexes: one document per
Arabic-script name (``ورد في الكشف اسم … ضمن القائمة``) and one per English spelling
(``Letter from … today``). Each English spelling (capitalised) must find its Arabic
document in the top 10, and each Arabic name its English document (target >= 90%).
False hits: documents a query matches that hold neither its name nor another spelling of
it (mean and median per query, over all matches, not only the top 10; then apart, the
queries that meet a word of the shared wording, which match every document).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
from pathlib import Path

import tantivy

from docket.store.fulltext import FullText
from docket.store.query import Builder, parse
from docket.text.normalize import normalize

NAMES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "names" / "ar2en-train.txt"
VARIANTS = {
    "النعيمي": ["النعيمى", "النعيميّ", "ٱلنعيمي", "النـعـيـمـي", "\u200fالنعيمي\u200e", "ﺍﻟﻨﻌﻴﻤﻲ"],
    "أحمد": ["احمد", "أَحْمَد", "إحمد", "آحمد"],
    "فاطمة": ["فاطمه", "فاطِمة", "فاطـمة"],
    "مصطفى": ["مصطفي", "مصطفیٰ", "مُصطفى"],
    "كريم": ["کریم", "كـريم", "كَرِيم"],
    "مؤسسة": ["مؤسسه", "مؤسّسة"],
    "١٤٤٠": ["1440", "۱۴۴۰"],
}


def index(docs: dict[str, str], root: Path) -> FullText:
    ft = FullText(root)
    for i, text in docs.items():
        ft.put({"id": i, "path": [f"{i}.txt"], "type": "text"}, text)
    ft.close()
    return ft


def found(ft: FullText, q: str, limit: int = 10) -> set[str]:
    _, hits = ft.search(Builder(ft.schema).build(parse(q)), limit=limit)
    return {h.id for h in hits}


def held_out(ar: str, en: str) -> bool:
    """One pair in five, fixed by the pair itself."""
    return hashlib.sha1(f"{ar}\t{en}".encode()).digest()[0] % 5 == 0


def normalisation(tmp: Path) -> None:
    docs, want = {}, {}
    for canon, forms in VARIANTS.items():
        for j, form in enumerate(forms):
            docs[f"{canon}-{j}"] = f"رسالة من {form} بخصوص الموضوع"
            want.setdefault(canon, set()).add(f"{canon}-{j}")
    ft = index(docs, tmp / "norm")
    got = sum(len(found(ft, c, 50) & ids) for c, ids in want.items())
    total = sum(len(ids) for ids in want.values())
    print(f"normalisation variants: {got}/{total} = {100 * got / total:.1f}% recall")


def direction(ft: FullText, queries: list[str], truth: list[set[str]]) -> tuple[float, list[int]]:
    """Recall in the top 10, and the false hits of each query."""
    hits, false = 0, []
    for i, (q, ids) in enumerate(zip(queries, truth, strict=True)):
        query = Builder(ft.schema).build(parse(q))
        count, top = ft.search(query, limit=10)
        hits += f"d{i}" in {h.id for h in top}
        ors = [(tantivy.Occur.Should, tantivy.Query.term_query(ft.schema, "id", d)) for d in ids]
        mine = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, query), (tantivy.Occur.Must, tantivy.Query.boolean_query(ors))]
        )
        false.append(count - ft.search(mine, limit=1)[0])
    return 100 * hits / len(queries), false


def cross_script(pairs: list[tuple[str, str]], tmp: Path, label: str) -> None:
    # Documents that hold the query's name, or another spelling of it, are not false hits.
    by_ar: dict[str, set[str]] = {}
    by_en: dict[str, set[str]] = {}
    for i, (ar, en) in enumerate(pairs):
        by_ar.setdefault(normalize(ar), set()).add(f"d{i}")
        by_en.setdefault(en.lower(), set()).add(f"d{i}")
    truth = [by_ar[normalize(ar)] | by_en[en.lower()] for ar, en in pairs]
    started = time.monotonic()
    ar_docs = index(
        {f"d{i}": f"ورد في الكشف اسم {ar} ضمن القائمة" for i, (ar, _) in enumerate(pairs)},
        tmp / f"{label}-ar",
    )
    built = time.monotonic() - started
    en_docs = index(
        {f"d{i}": f"Letter from {en.title()} today" for i, (_, en) in enumerate(pairs)},
        tmp / f"{label}-en",
    )
    started = time.monotonic()
    to_ar, false_ar = direction(ar_docs, [en.title() for _, en in pairs], truth)
    queried = time.monotonic() - started
    to_en, false_en = direction(en_docs, [ar for ar, _ in pairs], truth)
    both = (to_ar + to_en) / 2
    print(f"cross-script, {label} ({len(pairs)} pairs): {both:.1f}% recall in the top 10")
    for name, recall, false in (
        ("English query -> Arabic-script doc", to_ar, false_ar),
        ("Arabic query -> Latin doc", to_en, false_en),
    ):
        # A query that meets a word every document shares (اسم is also Sam) matches them all.
        narrow = [f for f in false if f < len(pairs) // 2] or [0]
        print(
            f"  {name}: {recall:.1f}% recall; false hits per query:"
            f" mean {statistics.mean(false):.1f}, median {statistics.median(false):g};"
            f" {len(false) - len(narrow)} queries match the shared wording of every document,"
            f" the others mean {statistics.mean(narrow):.2f}"
        )
    print(
        f"  index {built:.1f} s for {len(pairs)} docs, {1000 * queried / len(pairs):.1f} ms/query"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=2000, help="pairs per part")
    ap.add_argument("--split", choices=("dev", "held-out", "both"), default="both")
    args = ap.parse_args()
    pairs = [tuple(line.rstrip("\n").split("\t")) for line in NAMES.open(encoding="utf-8")]
    with tempfile.TemporaryDirectory() as tmp:
        normalisation(Path(tmp))
        for label in ("dev", "held-out"):
            if args.split not in (label, "both"):
                continue
            part = [(ar, en) for ar, en in pairs if held_out(ar, en) == (label == "held-out")]
            random.Random(7).shuffle(part)
            cross_script(part[: args.pairs], Path(tmp), label)


if __name__ == "__main__":
    main()
