"""OCR accuracy on printed Arabic: character error rate per book, with a development and
a test split that rotate (issue 17).

    .venv/bin/python -m bench.accuracy.ocr [--limit N] [--jobs N] [--confusions BOOK]

The three books of ``../shared/samples/ocr-arabic*`` (300 line images each, with
``.gt.txt`` ground truth): Kitab al-Hayawan (``ocr-arabic``), al-Yaqubi's Tarikh (clean
print) and al-Dhahabi's Tarikh (a low-quality scan). Each rotation develops on two and
tests on the third; nothing in Docket is fitted per rotation, so a rotation's figures are
the pooled CER of its dev books and of its test book. Printed for:

- ``bare``: ``tesseract -l ara --psm 7`` on the line image, one process per line;
- ``docket``: Docket's OCR as ingest runs it (``docket.extract.ocr.ocr_image`` with
  ``ara+eng``, the default engine) with every preparation and correction step;
- ``docket -STEP``: the same without one step (``ocr.STEPS``), so each step's effect is
  printed separately.

CER is edit distance over ground-truth length, both sides through Docket's search
normaliser (diacritics, alef/hamza seats, taa marbuta: what search folds) with
whitespace collapsed, the figure issue 17 quotes; ``raw`` is the same on the text only
NFC-normalised. ``--confusions BOOK`` prints the commonest substitutions Docket makes on
a book: look only at development books.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import os
import subprocess
import unicodedata
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from PIL import Image
from rigour.text.distance import raw_levenshtein

from docket.extract import ocr
from docket.extract.ocr import tesseract
from docket.extract.ocr.cache import OcrCache
from docket.text.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
BOOKS = {
    "hayawan": SAMPLES / "ocr-arabic",
    "yacqubi": SAMPLES / "ocr-arabic-more" / "Yacqubi.Tarikh",
    "dhahabi": SAMPLES / "ocr-arabic-more" / "Dhahabi.Tarikh",
}
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def bare(path: Path) -> str:
    cmd = ["tesseract", str(path), "stdout", "-l", "ara", "--psm", "7"]
    return subprocess.run(cmd, capture_output=True, text=True, env=ENV).stdout


def docket(steps: frozenset[str], path: Path) -> str:
    opts = ocr.Options("ara+eng", 120.0, OcrCache(None), steps)
    with Image.open(path) as im:
        return ocr.ocr_image(im, opts).text


def folded(s: str) -> str:
    return " ".join(normalize(s).split())


def raw(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def errors(texts: list[str], truth: list[str], fold: Callable[[str], str]) -> tuple[int, int]:
    pairs = [(fold(t), fold(g)) for t, g in zip(texts, truth, strict=True)]
    return sum(raw_levenshtein(a, b) for a, b in pairs), sum(len(b) for _, b in pairs)


def confusions(texts: list[str], truth: list[str], top: int = 40) -> list[tuple[str, int]]:
    count: collections.Counter[tuple[str, str]] = collections.Counter()
    for t, g in zip(texts, truth, strict=True):
        a, b = folded(g), folded(t)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op != "equal":
                count[(a[i1:i2], b[j1:j2])] += max(i2 - i1, j2 - j1)
    return [(f"{g!r}->{o!r}", n) for (g, o), n in count.most_common(top)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="lines per book (default: all)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--confusions", choices=sorted(BOOKS), help="a development book")
    ap.add_argument("--no-ablation", action="store_true", help="only bare and full docket")
    args = ap.parse_args()
    missing = [b for b, d in BOOKS.items() if not d.is_dir()]
    if missing:
        raise SystemExit(f"no samples for {', '.join(missing)} under {SAMPLES}")
    engine = tesseract.engine()
    print(f"docket's engine: {engine.name} ({engine.version}); steps: {' '.join(ocr.STEPS)}")
    sides: dict[str, Callable[[Path], str]] = {"bare": bare, "docket": partial(docket, ocr.STEPS)}
    if not args.no_ablation:
        for step in ocr.STEPS:
            sides[f"docket -{step}"] = partial(docket, ocr.STEPS - {step})
    books: dict[str, tuple[list[Path], list[str]]] = {}
    for name, folder in BOOKS.items():
        paths = sorted(folder.glob("*.png"))[: args.limit or None]
        books[name] = (paths, [p.with_suffix(".gt.txt").read_text("utf-8") for p in paths])
    # per side and book: (errors, chars) folded, and raw
    got: dict[str, dict[str, tuple[tuple[int, int], tuple[int, int]]]] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for side, fn in sides.items():
            got[side] = {}
            for name, (paths, truth) in books.items():
                texts = list(pool.map(fn, paths, chunksize=8))
                got[side][name] = (errors(texts, truth, folded), errors(texts, truth, raw))
                if side == "docket" and args.confusions == name:
                    print(f"confusions on {name}:", confusions(texts, truth))
    print(f"\nCER per book ({', '.join(f'{b}: {len(books[b][0])} lines' for b in books)})")
    print(f"{'':>16}" + "".join(f"{b:>10}" for b in books) + f"{'raw':>28}")
    for side in sides:
        row = "".join(f"{pct(*got[side][b][0]):>10}" for b in books)
        print(f"{side:>16}{row}   " + " ".join(f"{pct(*got[side][b][1]):>8}" for b in books))
    print("\nrotations: develop on two books, test on the third (CER, search-folded)")
    for test in books:
        dev = [b for b in books if b != test]
        print(f"  test = {test} (dev = {' + '.join(dev)})")
        for side in sides:
            d = [sum(got[side][b][0][i] for b in dev) for i in (0, 1)]
            print(f"    {side:>16}: dev {pct(*d):>6}  test {pct(*got[side][test][0]):>6}")


def pct(errs: int, chars: int) -> str:
    return f"{100 * errs / chars:.1f}%" if chars else "-"


if __name__ == "__main__":
    main()
