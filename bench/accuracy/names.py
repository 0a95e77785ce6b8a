"""Cross-script name search: top-1 and top-5 of English queries against Arabic-script
documents, through Docket's real search path (the tantivy index built by ``FullText`` and
queries built by ``store.query``), on a dev split and a test split.

    PYTHONPATH=src python bench/accuracy/names.py [--pairs 300] [--seeds 17,18,19] [--whole]
        [--split dev|test|both] [--misses N] [--kinds]

Data: ../shared/samples/names/ar2en-train.txt (Arabic form, English spelling). One name
often has several lines (آرون/aaron and ارون/aaron; ادم/adam and ادم/adams), so the pairs
are split BY NAME, never by line: lines sharing an Arabic form (normalised) or an English
spelling (lower case) form one name group, and a group goes whole to ``test`` (one in
five, by a salted hash of its smallest member) or to ``dev``. Only ``dev`` may be looked
at while changing the keys; ``test`` is printed for the record.

For each split, ``--pairs`` groups are drawn (seeded), one document is indexed per Arabic
form (``ورد في الكشف اسم … ضمن القائمة``), and each English spelling of a group (title
case) is searched; a hit is right when its document's Arabic form belongs to the query's
group. Top-1 counts ties against us: the index's own order decides. One draw per seed
(``--seeds``), and their mean; ``--whole`` also searches every name of the split at once
(ten thousand documents on dev: many more look-alikes than in a draw).

"Other names found" is the cost of the loose matches: the mean number of documents a
query finds that hold another name (every document holds the same filler words too).
``--kinds`` prints dev's misses by the spelling conventions the pairs show (article
dropped, hamza, ى/ة/ي endings, Persian letters, French ou/ch, e for i, doubled letters,
more vowels than Arabic writes), to fix classes of errors rather than names.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from docket.store.fulltext import FullText
from docket.store.query import Builder, parse
from docket.text.normalize import normalize

NAMES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "names" / "ar2en-train.txt"
SALT = "docket-names-accuracy-1"


def groups(path: Path = NAMES) -> list[list[tuple[str, str]]]:
    """The pairs as name groups: connected by a shared Arabic form or English spelling."""
    pairs = [tuple(line.rstrip("\n").split("\t")) for line in path.open(encoding="utf-8")]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ar, en in pairs:
        parent[find("a:" + normalize(ar))] = find("e:" + en.lower())
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ar, en in pairs:
        out[find("a:" + normalize(ar))].append((ar, en))
    return list(out.values())


def is_test(group: list[tuple[str, str]]) -> bool:
    first = min(f"{normalize(ar)}\t{en.lower()}" for ar, en in group)
    return hashlib.sha1(f"{SALT}\t{first}".encode()).digest()[0] % 5 == 0


def split(name: str) -> list[list[tuple[str, str]]]:
    return [g for g in groups() if is_test(g) == (name == "test")]


KINDS = (
    "article",  # the Arabic writes ال, the English drops it (الأتاسي / Atassi)
    "hamza",  # أ إ آ ء ؤ ئ in the Arabic
    "ending",  # the Arabic ends in ى, ة or ي (Leila, Raziye, Iryani)
    "persian",  # Persian and Urdu letters: گ چ پ ژ ک ی
    "french",  # French-style spellings: ou, ch, Abou
    "levantine",  # e where Arabic writes ي or nothing (Hisham / Hesham)
    "doubled",  # a letter doubled in the English (Hassan, Allais)
    "vowels",  # the English writes more vowel runs than the Arabic's long vowels
    "other",  # none of the above
)


def kinds(ar: str, en: str) -> list[str]:
    """The spelling conventions a pair shows (for the failure table; a pair may show many)."""
    en = en.lower()
    out = []
    if ar.startswith("ال") and not en.startswith(("al", "el", "ul")):
        out.append("article")
    if any(c in ar for c in "أإآءؤئ"):
        out.append("hamza")
    if ar.endswith(("ى", "ة", "ي")):
        out.append("ending")
    if any(c in ar for c in "گچپژکی"):
        out.append("persian")
    if "ou" in en or "ch" in en or en.startswith("abou"):
        out.append("french")
    if "e" in en:
        out.append("levantine")
    if any(a == b and a not in "aeiou" for a, b in pairwise(en)):
        out.append("doubled")
    runs = len([r for r in "".join(c if c in "aeiouy" else " " for c in en[1:]).split()])
    if runs > sum(ar.count(c) for c in "اوي"):
        out.append("vowels")
    return out or ["other"]


@dataclass(slots=True)
class Result:
    query: str
    kinds: list[str]
    right: list[bool]  # the top five hits, right or not
    extra: int  # documents found that hold another name
    want: list[str]
    got: list[str]


def evaluate(part: list[list[tuple[str, str]]], root: Path) -> list[Result]:
    docs: dict[str, str] = {}  # doc id -> Arabic form
    owner: dict[str, int] = {}  # doc id -> group
    for g, group in enumerate(part):
        for ar, _ in group:
            key = normalize(ar)
            if key not in {normalize(docs[d]) for d in docs if owner[d] == g}:
                d = f"d{len(docs)}"
                docs[d] = ar
                owner[d] = g
    size: dict[int, int] = defaultdict(int)
    for g in owner.values():
        size[g] += 1
    ft = FullText(root)
    for d, ar in docs.items():
        ft.put(
            {"id": d, "path": [f"{d}.txt"], "type": "text"}, f"ورد في الكشف اسم {ar} ضمن القائمة"
        )
    ft.close()
    out = []
    for g, group in enumerate(part):
        for en in sorted({en for _, en in group}):
            q = en.title()
            count, hits = ft.search(Builder(ft.schema).build(parse(q)), limit=5)
            right = [owner[h.id] == g for h in hits]
            # Every document holding the name counts as found unless it was not among the
            # five shown and the count says it was not matched at all (a close estimate).
            ar_of = [ar for ar, e in group if e == en]
            out.append(
                Result(
                    q,
                    sorted({k for ar in ar_of for k in kinds(ar, en)}),
                    right,
                    max(0, count - max(sum(right), min(size[g], count) if count > 5 else 0)),
                    sorted({ar for ar, _ in group}),
                    [docs[h.id] for h in hits[:3]],
                )
            )
    return out


def figures(results: list[Result]) -> tuple[float, float, float]:
    n = len(results) or 1
    top1 = sum(bool(r.right[:1] and r.right[0]) for r in results) / n
    top5 = sum(any(r.right) for r in results) / n
    return top1, top5, sum(r.extra for r in results) / n


def failure_table(results: list[Result]) -> None:
    print(f"  {'kind':<10} {'queries':>7} {'top-1':>6} {'misses':>6}  examples")
    for kind in KINDS:
        rs = [r for r in results if kind in r.kinds]
        if not rs:
            continue
        missed = [r for r in rs if not (r.right[:1] and r.right[0])]
        eg = ", ".join(f"{r.query}/{r.want[0]}" for r in missed[:3])
        print(f"  {kind:<10} {len(rs):>7} {figures(rs)[0]:>6.3f} {len(missed):>6}  {eg}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=300, help="name groups drawn per split")
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--seeds", default="17,18,19", help="one draw per seed")
    ap.add_argument("--whole", action="store_true", help="also every name of the split at once")
    ap.add_argument("--misses", type=int, default=0, help="print this many dev misses")
    ap.add_argument("--kinds", action="store_true", help="dev misses by kind of spelling")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("dev", "test"):
            if args.split not in (name, "both"):
                continue
            groups_ = split(name)
            draws: list[tuple[str, list[list[tuple[str, str]]]]] = []
            for seed in (int(s) for s in args.seeds.split(",") if s):
                part = list(groups_)
                random.Random(seed).shuffle(part)
                draws.append((f"seed {seed}", part[: args.pairs]))
            if args.whole:
                draws.append(("whole", groups_))
            pooled: list[Result] = []
            per_draw: list[tuple[float, float, float]] = []
            for label, part in draws:
                results = evaluate(part, Path(tmp) / f"{name}-{label.replace(' ', '')}")
                t1, t5, extra = figures(results)
                print(
                    f"cross-script {name} {label}: {len(results)} English queries, {len(part)} "
                    f"names: top-1 {t1:.3f}, top-5 {t5:.3f}, other names found {extra:.2f} a query"
                )
                if label != "whole":
                    per_draw.append((t1, t5, extra))
                if name == "dev":
                    pooled += results
                    for r in [r for r in results if not (r.right[:1] and r.right[0])][
                        : args.misses
                    ]:
                        print(f"  miss: {r.query!r} want {r.want} got {r.got}")
            if len(per_draw) > 1:
                t1s, t5s, extras = zip(*per_draw, strict=True)
                print(
                    f"cross-script {name}, mean of {len(per_draw)} draws: top-1 {sum(t1s) / len(t1s):.3f} "
                    f"(lowest {min(t1s):.3f}), top-5 {sum(t5s) / len(t5s):.3f}, "
                    f"other names found {sum(extras) / len(extras):.2f} a query"
                )
            if name == "dev" and args.kinds:
                failure_table(pooled)


if __name__ == "__main__":
    main()
