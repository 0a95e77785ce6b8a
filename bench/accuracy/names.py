"""Cross-script name search: top-1 and top-5 of English queries against Arabic-script
documents, through Docket's real search path (the tantivy index built by ``FullText`` and
queries built by ``store.query``), on a dev split and a test split.

    PYTHONPATH=src python bench/accuracy/names.py [--pairs 300] [--split dev|test|both] [--misses N]

Data: ../shared/samples/names/ar2en-train.txt (Arabic form, English spelling). One name
often has several lines (آرون/aaron and ارون/aaron; ادم/adam and ادم/adams), so the pairs
are split BY NAME, never by line: lines sharing an Arabic form (normalised) or an English
spelling (lower case) form one name group, and a group goes whole to ``test`` (one in
five, by a salted hash of its smallest member) or to ``dev``. Only ``dev`` may be looked
at while changing the keys; ``test`` is printed for the record.

For each split, ``--pairs`` groups are drawn (seeded), one document is indexed per Arabic
form (``ورد في الكشف اسم … ضمن القائمة``), and each English spelling of a group (title
case) is searched; a hit is right when its document's Arabic form belongs to the query's
group. Top-1 counts ties against us: the index's own order decides.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import tempfile
from collections import defaultdict
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


def evaluate(
    part: list[list[tuple[str, str]]], root: Path, misses: int = 0
) -> tuple[float, float, int]:
    docs: dict[str, str] = {}  # doc id -> Arabic form
    owner: dict[str, int] = {}  # doc id -> group
    for g, group in enumerate(part):
        for ar, _ in group:
            key = normalize(ar)
            if key not in {normalize(docs[d]) for d in docs if owner[d] == g}:
                d = f"d{len(docs)}"
                docs[d] = ar
                owner[d] = g
    ft = FullText(root)
    for d, ar in docs.items():
        ft.put(
            {"id": d, "path": [f"{d}.txt"], "type": "text"}, f"ورد في الكشف اسم {ar} ضمن القائمة"
        )
    ft.close()
    top1 = top5 = total = 0
    shown = 0
    for g, group in enumerate(part):
        for en in sorted({en for _, en in group}):
            q = en.title()
            _, hits = ft.search(Builder(ft.schema).build(parse(q)), limit=5)
            right = [owner[h.id] == g for h in hits]
            total += 1
            top1 += bool(right[:1] and right[0])
            top5 += any(right)
            if shown < misses and not (right[:1] and right[0]):
                shown += 1
                want = sorted({ar for ar, _ in group})
                got = [docs[h.id] for h in hits[:3]]
                print(f"  miss: {q!r} want {want} got {got}")
    return top1 / total, top5 / total, total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=300, help="name groups drawn per split")
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--misses", type=int, default=0, help="print this many dev misses")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("dev", "test"):
            if args.split not in (name, "both"):
                continue
            part = split(name)
            random.Random(args.seed).shuffle(part)
            part = part[: args.pairs]
            shown = args.misses if name == "dev" else 0
            t1, t5, n = evaluate(part, Path(tmp) / name, shown)
            print(
                f"cross-script {name}: {n} English queries, {len(part)} names: top-1 {t1:.3f}, top-5 {t5:.3f}"
            )


if __name__ == "__main__":
    main()
