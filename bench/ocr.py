"""OCR benchmark: character error rate on printed Arabic lines and pages per minute,
Docket's OCR (``docket.extract.ocr``) against bare ``tesseract -l ara``.

    .venv/bin/python bench/ocr.py [--limit N] [--jobs N] [--rounds N] [--pages]

Reads ../shared/samples/ocr-arabic/ (300 line images with ``.gt.txt`` ground truth).
Both outputs and the ground truth pass through Docket's search normaliser before the CER
is taken (diacritics and letter-form variants are not what search depends on). Both
sides run in a process pool of ``--jobs`` workers (all cores by default) with
``OMP_THREAD_LIMIT=1``; the cache is off. The sides alternate for ``--rounds`` rounds
(bare first in odd rounds, Docket first in even ones) so that load from other processes
falls on both; the rate ratio is reported per round and as the median.

``--pages`` also runs both on pages: the lines stacked 15 to a page (20 pages), as a
scanned book page would be. Docket reads them with the configured ``ara+eng`` as it reads
any page (``docket/extract/ocr/page.py``: orientation and script guessed and checked by
confidence, OSD when unsure, unsure lines read again with ``ara+eng``); bare Tesseract
reads ``-l ara``, and again ``-l ara+eng``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

from docket.extract import ocr
from docket.extract.ocr.cache import OcrCache
from docket.text.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "ocr-arabic"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
PAGE_LINES = 15


def _bare(path: Path, langs: str) -> str:
    out = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", langs], capture_output=True, text=True, env=ENV
    )
    return out.stdout


def bare(path: Path) -> str:
    return _bare(path, "ara")


def bare_ara_eng(path: Path) -> str:
    return _bare(path, "ara+eng")


def docket_ocr(path: Path) -> str:
    opts = ocr.Options("ara+eng", 120.0, OcrCache(None))
    with Image.open(path) as im:
        return ocr.ocr_image(im, opts).text


def distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def clean(s: str) -> str:
    return " ".join(normalize(s).split())


def run(fn: Callable[[Path], str], paths: list[Path], jobs: int) -> tuple[list[str], float]:
    started = time.monotonic()
    with ProcessPoolExecutor(jobs) as pool:
        texts = list(pool.map(fn, paths, chunksize=1 if len(paths) < 50 else 4))
    return texts, time.monotonic() - started


def stack_pages(paths: list[Path], out: Path) -> tuple[list[Path], list[str]]:
    """The line images pasted ``PAGE_LINES`` to a page, right-aligned like Arabic print."""
    pages, truth = [], []
    for k in range(0, len(paths), PAGE_LINES):
        group = paths[k : k + PAGE_LINES]
        lines = [Image.open(p).convert("L") for p in group]
        width = max(im.width for im in lines) + 200
        page = Image.new("L", (width, sum(im.height + 25 for im in lines) + 150), 255)
        y = 75
        for im in lines:
            page.paste(im, (width - 100 - im.width, y))
            y += im.height + 25
        pages.append(out / f"page-{k // PAGE_LINES:03d}.png")
        page.save(pages[-1])
        truth.append(" ".join(clean(p.with_suffix(".gt.txt").read_text("utf-8")) for p in group))
    return pages, truth


def compare(
    label: str,
    sides: list[tuple[str, Callable[[Path], str]]],
    paths: list[Path],
    truth: list[str],
    args: argparse.Namespace,
) -> None:
    chars = sum(len(t) for t in truth)
    seconds: dict[str, list[float]] = {name: [] for name, _ in sides}
    for r in range(args.rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        for name, fn in order:
            texts, took = run(fn, paths, args.jobs)
            seconds[name].append(took)
            if r == 0:
                errors = sum(distance(clean(t), g) for t, g in zip(texts, truth, strict=True))
                print(f"  {label} {name:>22}: CER {100 * errors / chars:5.1f}%")
    print(f"  {label} rates (pages/min per round; median):")
    for name, _ in sides:
        rates = [60 * len(paths) / s for s in seconds[name]]
        shown = " ".join(f"{x:6.1f}" for x in rates)
        print(f"    {name:>22}: {shown}  median {statistics.median(rates):6.1f}")
    docket_s = seconds[sides[-1][0]]
    for name, _ in sides[:-1]:
        ratios = [b / d for b, d in zip(seconds[name], docket_s, strict=True)]
        shown = " ".join(f"{x:.2f}" for x in ratios)
        print(f"    docket rate / {name}: {shown}  median {statistics.median(ratios):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pages", action="store_true", help="also stacked pages (slower)")
    args = ap.parse_args()
    paths = sorted(SAMPLES.glob("*.png"))
    if args.limit:
        paths = paths[: args.limit]
    truth = [clean(p.with_suffix(".gt.txt").read_text(encoding="utf-8")) for p in paths]
    print(
        f"{len(paths)} line images, {sum(map(len, truth))} characters, {args.jobs} jobs, "
        f"{args.rounds} rounds, nproc={os.cpu_count()}"
    )
    compare(
        "lines", [("bare tesseract -l ara", bare), ("docket ocr", docket_ocr)], paths, truth, args
    )
    if args.pages:
        with tempfile.TemporaryDirectory(prefix="docket-bench-ocr-") as tmp:
            pages, page_truth = stack_pages(paths, Path(tmp))
            print(f"{len(pages)} pages of {PAGE_LINES} lines")
            sides = [
                ("bare tesseract -l ara", bare),
                ("bare -l ara+eng", bare_ara_eng),
                ("docket ocr", docket_ocr),
            ]
            compare("pages", sides, pages, page_truth, args)


if __name__ == "__main__":
    main()
