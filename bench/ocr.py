"""OCR benchmark: character error rate on printed Arabic lines and pages per minute,
Docket's OCR (``docket.extract.ocr``) against bare ``tesseract -l ara``.

    .venv/bin/python bench/ocr.py [--limit N] [--jobs N]

Reads ../shared/samples/ocr-arabic/ (line images with ``.gt.txt`` ground truth). Both
outputs and the ground truth pass through Docket's search normaliser before the CER is
taken (diacritics and letter-form variants are not what search depends on). Both sides
run in a process pool of ``--jobs`` workers with ``OMP_THREAD_LIMIT=1``; the cache is off.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

from docket.enrich.normalize import normalize
from docket.extract import ocr
from docket.extract.ocr.cache import OcrCache

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "ocr-arabic"
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def bare(path: Path) -> str:
    out = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "ara"], capture_output=True, text=True, env=ENV
    )
    return out.stdout


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


def run(fn, paths: list[Path], jobs: int) -> tuple[list[str], float]:
    started = time.monotonic()
    with ProcessPoolExecutor(jobs) as pool:
        texts = list(pool.map(fn, paths, chunksize=4))
    return texts, time.monotonic() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    paths = sorted(SAMPLES.glob("*.png"))
    if args.limit:
        paths = paths[: args.limit]
    truth = [clean(p.with_suffix(".gt.txt").read_text(encoding="utf-8")) for p in paths]
    chars = sum(len(t) for t in truth)
    print(f"{len(paths)} line images, {chars} characters, {args.jobs} jobs, nproc={os.cpu_count()}")
    for name, fn in (("bare tesseract -l ara", bare), ("docket ocr", docket_ocr)):
        texts, seconds = run(fn, paths, args.jobs)
        errors = sum(distance(clean(t), g) for t, g in zip(texts, truth, strict=True))
        print(
            f"{name:>22}: CER {100 * errors / chars:5.1f}%  "
            f"{60 * len(paths) / seconds:6.1f} pages/min ({seconds:.1f} s)"
        )


if __name__ == "__main__":
    main()
