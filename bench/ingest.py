"""Ingest throughput and memory.

    .venv/bin/python -m bench.ingest [--docs 10000] [--large 2] [--large-mb 1100] [--jobs N]

Builds (once, under bench/out/) 10,000 mixed small documents — txt, html, csv, eml, docx,
xlsx, pdf, a quarter in Arabic — and a few files over 1 GB, then reports:
  * small documents per second end to end (``docket ingest`` into a fresh case);
  * MB/s on the large files against ``sha256sum`` over the same bytes (the floor);
  * peak resident memory of the whole process tree and of its largest process.
Targets on a 2-core machine: >= 150 docs/s; >= 50% of sha256sum's rate; peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import build, build_large
from bench.measure import run_measured

OUT = Path(__file__).parent / "out"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--large", type=int, default=2)
    ap.add_argument("--large-mb", type=int, default=1100)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--enrich", default="all", help="the enrich setting for the small-document run")
    args = ap.parse_args()

    small = OUT / f"small-{args.docs}"
    if not small.exists():
        t = time.perf_counter()
        build(small, args.docs)
        print(f"built {args.docs} documents in {time.perf_counter() - t:.1f} s")
    docket = [sys.executable, "-m", "docket"]
    print(f"machine: {os.cpu_count()} cores; jobs={args.jobs}; enrich={args.enrich}")
    env = {**os.environ, "DOCKET_ENRICH": args.enrich}

    case = OUT / "case-small"
    shutil.rmtree(case, ignore_errors=True)
    m = run_measured(
        [*docket, "ingest", str(small), "--jobs", str(args.jobs), "--case", str(case)], env=env
    )
    items = int(
        subprocess.run(
            [*docket, "status", "--json", "--case", str(case)], capture_output=True, text=True
        )
        .stdout.split('"items": ')[1]
        .split(",")[0]
    )
    print(
        f"small: {items} items in {m.seconds:.1f} s = {items / m.seconds:.0f} items/s; "
        f"peak RSS {m.peak_rss_total / 2**20:.0f} MB (tree), {m.peak_rss_one / 2**20:.0f} MB (largest process)"
    )

    if args.large:
        large = build_large(OUT / "large", args.large, args.large_mb)
        total_mb = sum(p.stat().st_size for p in large) / 2**20
        t = time.perf_counter()
        subprocess.run(["sha256sum", *map(str, large)], check=True, capture_output=True)
        floor = time.perf_counter() - t
        case = OUT / "case-large"
        shutil.rmtree(case, ignore_errors=True)
        m = run_measured(
            [*docket, "ingest", str(OUT / "large"), "--jobs", str(args.jobs), "--case", str(case)]
        )
        print(
            f"large: {total_mb:.0f} MB; sha256sum {total_mb / floor:.0f} MB/s; docket {total_mb / m.seconds:.0f} MB/s "
            f"({100 * floor / m.seconds:.0f}% of sha256sum); peak RSS {m.peak_rss_total / 2**20:.0f} MB (tree)"
        )
        shutil.rmtree(case, ignore_errors=True)


if __name__ == "__main__":
    main()
