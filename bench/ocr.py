"""OCR benchmark: character error rate on printed Arabic lines and pages per minute,
Docket's OCR (``docket.extract.ocr``) against bare ``tesseract -l ara``.

    .venv/bin/python bench/ocr.py [--limit N] [--jobs N] [--rounds N] [--pages]

Reads ../shared/samples/ocr-arabic/ (300 line images with ``.gt.txt`` ground truth).
Both outputs and the ground truth pass through Docket's search normaliser before the CER
is taken (diacritics and letter-form variants are not what search depends on). Both
sides run in a process pool of ``--jobs`` workers (all cores by default) with
``OMP_THREAD_LIMIT=1``; the cache is off. The sides alternate for ``--rounds`` rounds
(bare first in odd rounds, Docket first in even ones) so that load from other processes
falls on both; the rate ratio is reported per round and as the median, and Docket's
time over bare Tesseract's (wall and CPU, Tesseract's processes included) — issue 16's
target is at most 1.00. Docket's side runs with the engine ``tesseract.engine()`` picks
(in-process ``tesserocr``; ``DOCKET_OCR_ENGINE=cli`` for the executable), printed first.

``--pages`` also runs both on pages: the lines of all three sample books stacked 15 to
a page (60 pages), as a scanned book page would be. Docket reads them with the configured ``ara+eng`` as it reads
any page (``docket/extract/ocr/page.py``: scaled down to 48 px lines, orientation and
script guessed and checked by confidence, OSD when unsure, unsure lines read again with
``ara+eng``); bare Tesseract
reads ``-l ara``, and again ``-l ara+eng``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from PIL import Image

from docket.extract import ocr
from docket.extract.ocr import tesseract
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


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn: Callable[[Path], str], path: Path) -> tuple[str, float]:
    """``fn(path)`` and the CPU seconds it took, Tesseract processes included."""
    before = _cpu()
    text = fn(path)
    return text, _cpu() - before


def run(fn: Callable[[Path], str], paths: list[Path], jobs: int) -> tuple[list[str], float, float]:
    """Texts, wall seconds and CPU seconds (all workers) of ``fn`` over ``paths``."""
    started = time.monotonic()
    with ProcessPoolExecutor(jobs) as pool:
        # the pool starts and Docket's side loads its models before the clock matters
        # as much as it would in a long run: both sides pay their own start-up here
        got = list(pool.map(partial(timed, fn), paths, chunksize=1 if len(paths) < 50 else 4))
    return [t for t, _ in got], time.monotonic() - started, sum(c for _, c in got)


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
    cpu: dict[str, list[float]] = {name: [] for name, _ in sides}
    for r in range(args.rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        for name, fn in order:
            texts, took, used = run(fn, paths, args.jobs)
            seconds[name].append(took)
            cpu[name].append(used)
            if r == 0:
                errors = sum(distance(clean(t), g) for t, g in zip(texts, truth, strict=True))
                print(f"  {label} {name:>22}: CER {100 * errors / chars:5.1f}%")
    print(f"  {label} rates (pages/min per round; median):")
    for name, _ in sides:
        rates = [60 * len(paths) / s for s in seconds[name]]
        shown = " ".join(f"{x:6.1f}" for x in rates)
        print(f"    {name:>22}: {shown}  median {statistics.median(rates):6.1f}")
    print(f"  {label} CPU ms per {label[:-1]} (median of rounds):")
    for name, _ in sides:
        print(f"    {name:>22}: {1000 * statistics.median(cpu[name]) / len(paths):7.1f}")
    docket = sides[-1][0]
    for name, _ in sides[:-1]:
        ratios = [b / d for b, d in zip(seconds[name], seconds[docket], strict=True)]
        shown = " ".join(f"{x:.2f}" for x in ratios)
        print(f"    docket rate / {name}: {shown}  median {statistics.median(ratios):.2f}")
        # the figure: Docket's time over bare Tesseract's (target <= 1.0)
        wall = statistics.median(d / b for b, d in zip(seconds[name], seconds[docket], strict=True))
        used = statistics.median(cpu[docket]) / statistics.median(cpu[name])
        print(f"    docket time / {name}: wall {wall:.2f}, CPU {used:.2f}  (target <= 1.00)")


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
    engine = tesseract.engine()
    print(
        f"{len(paths)} line images, {sum(map(len, truth))} characters, {args.jobs} jobs, "
        f"{args.rounds} rounds, nproc={os.cpu_count()}; docket's engine: {engine.name} "
        f"({engine.version}){' — ' + engine.note if engine.note else ''}"
    )
    compare(
        "lines", [("bare tesseract -l ara", bare), ("docket ocr", docket_ocr)], paths, truth, args
    )
    if args.pages:
        with tempfile.TemporaryDirectory(prefix="docket-bench-ocr-") as tmp:
            # pages from every sample book's lines: a long enough run that each side's
            # start-up (a pool, Docket's models and lexicon loaded once per worker) weighs
            # on the rate as it would in an ingest, not more
            lines = paths
            for book in sorted((SAMPLES.parent / "ocr-arabic-more").glob("*")):
                lines += sorted(book.glob("*.png"))[: args.limit or None]
            pages, page_truth = stack_pages(lines, Path(tmp))
            print(f"{len(pages)} pages of {PAGE_LINES} lines ({len(lines)} lines, all books)")
            sides = [
                ("bare tesseract -l ara", bare),
                ("bare -l ara+eng", bare_ara_eng),
                ("docket ocr", docket_ocr),
            ]
            compare("pages", sides, pages, page_truth, args)


if __name__ == "__main__":
    main()
