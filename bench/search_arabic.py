"""Arabic search benchmark: recall of spelling-variant queries (normalisation) and of
cross-script name queries, on a real tantivy index built with Docket's fields.

    .venv/bin/python bench/search_arabic.py [--pairs N]

Normalisation: generated documents each hold one written variant of a name (hamza and
alef forms, ى/ي, ة/ه, tatweel, diacritics, Persian letters, bidi marks, presentation
forms); the plain spelling must find every one (target 100%). Cross-script: one document
per Arabic-script name of ../shared/samples/names/ar2en-train.txt; its English spelling
(capitalised, as a query) must find it in the top 10 (target >= 90%).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from docket.index.fulltext import FullText
from docket.index.query import Builder, parse

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs, want = {}, {}
        for canon, forms in VARIANTS.items():
            for j, form in enumerate(forms):
                docs[f"{canon}-{j}"] = f"رسالة من {form} بخصوص الموضوع"
                want.setdefault(canon, set()).add(f"{canon}-{j}")
        ft = index(docs, Path(tmp) / "norm")
        got = sum(len(found(ft, c, 50) & ids) for c, ids in want.items())
        total = sum(len(ids) for ids in want.values())
        print(f"normalisation variants: {got}/{total} = {100 * got / total:.1f}% recall")

        pairs = [line.rstrip("\n").split("\t") for line in NAMES.open(encoding="utf-8")]
        random.Random(7).shuffle(pairs)
        pairs = pairs[: args.pairs]
        docs = {f"n{i}": f"ورد في الكشف اسم {ar} ضمن القائمة" for i, (ar, _en) in enumerate(pairs)}
        started = time.monotonic()
        ft = index(docs, Path(tmp) / "names")
        built = time.monotonic() - started
        started = time.monotonic()
        hits = sum(f"n{i}" in found(ft, en.title()) for i, (_ar, en) in enumerate(pairs))
        queried = time.monotonic() - started
        print(
            f"cross-script (English query -> Arabic-script doc, top 10): {hits}/{len(pairs)}"
            f" = {100 * hits / len(pairs):.1f}% recall; index {built:.1f} s,"
            f" {1000 * queried / len(pairs):.1f} ms/query"
        )
        back = sum(
            1
            for i, (ar, en) in enumerate(pairs[:500])
            if f"e{i}"
            in found(index({f"e{i}": f"Letter from {en.title()} today"}, Path(tmp) / f"e{i}"), ar)
        )
        print(
            f"cross-script (Arabic query -> Latin doc): {back}/500 = {100 * back / 500:.1f}% recall"
        )


if __name__ == "__main__":
    main()
