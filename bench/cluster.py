"""Scale-out throughput: the local pool against a Dask cluster of one and of two workers.

    .venv/bin/python -m bench.cluster [--pages 60] [--jobs 2]

Builds (once, under bench/out/) an OCR-heavy corpus of scanned pages — PNG images of
English text, each distinct, so every one goes through Tesseract — then ingests it into a
fresh case three ways and prints pages per minute and the coordinator's peak RSS:
  * the local pool (``--jobs N``);
  * a loopback cluster of one ``dask worker`` (one thread);
  * a loopback cluster of two ``dask worker``s (one thread each).
Targets on a 2-core machine: two workers >= 1.8x one worker; the two-worker cluster within
10% of the local pool with --jobs 2. With --cluster the measured tree is the coordinator
alone (the scheduler and workers are separate processes), so its RSS is the coordinator's,
which must stay flat however large the case.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

from tests.fixtures.cluster import LoopbackCluster

from bench.corpus import EN_WORDS
from bench.measure import Measured, run_measured

OUT = Path(__file__).parent / "out"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def build_scans(out: Path, pages: int, seed: int = 11) -> None:
    """Half-pages of 12 lines of words at ~150 dpi: a light scan, seconds of OCR each."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(seed)
    font = ImageFont.truetype(FONT, 26) if Path(FONT).exists() else ImageFont.load_default(26)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for i in range(pages):
        page = Image.new("L", (1240, 820), 255)
        draw = ImageDraw.Draw(page)
        draw.text((80, 60), f"Report {i:05d}", fill=0, font=font)
        for line in range(12):
            words = " ".join(rng.choice(EN_WORDS) for _ in range(8))
            draw.text((80, 130 + line * 56), words, fill=0, font=font)
        page.save(tmp / f"scan-{i:05d}.png", optimize=True)
    tmp.rename(out)


def ingest(corpus: Path, case: Path, *extra: str) -> Measured:
    shutil.rmtree(case, ignore_errors=True)
    m = run_measured(
        [sys.executable, "-m", "docket", "ingest", str(corpus), "--case", str(case), *extra]
    )
    if m.returncode != 0:
        raise SystemExit(f"ingest {' '.join(extra)} exited {m.returncode}")
    return m


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    corpus = OUT / f"scans-{args.pages}"
    if not corpus.exists():
        t = time.perf_counter()
        build_scans(corpus, args.pages)
        print(f"built {args.pages} scanned pages in {time.perf_counter() - t:.1f} s")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

    def report(label: str, m: Measured) -> float:
        rate = args.pages / m.seconds * 60
        print(
            f"{label:<22} {args.pages} pages in {m.seconds:6.1f} s = {rate:6.1f} pages/min; "
            f"peak RSS {m.peak_rss_total / 2**20:.0f} MB (tree), "
            f"{m.peak_rss_one / 2**20:.0f} MB (largest process)"
        )
        return rate

    case = OUT / "case-cluster"
    local = report(f"local pool --jobs {args.jobs}", ingest(corpus, case, "--jobs", str(args.jobs)))
    rates = {}
    for n in (1, 2):
        with LoopbackCluster(workers=n) as c:
            rates[n] = report(f"dask, {n} worker(s)", ingest(corpus, case, "--cluster", c.address))
    shutil.rmtree(case, ignore_errors=True)
    print(
        f"two workers / one worker: {rates[2] / rates[1]:.2f}x (target >= 1.8x); "
        f"two-worker cluster costs {100 * (local - rates[2]) / local:+.1f}% against the local "
        "pool (negative: faster; target <= +10%)"
    )


if __name__ == "__main__":
    main()
