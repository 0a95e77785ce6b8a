"""Scale-out throughput: the local pool against a Dask cluster of one and of two workers.

    .venv/bin/python -m bench.cluster [--pages 300] [--jobs 2] [--dask-defaults]

Builds (once, under bench/out/) an OCR-heavy corpus of scanned pages — PNG images of
English text, each distinct, so every one goes through Tesseract — then ingests it into a
fresh case three ways and prints pages per minute and the coordinator's peak RSS:
  * the local pool (``--jobs N``);
  * a loopback cluster of one ``dask worker`` (one thread: one task at a time);
  * a loopback cluster of two ``dask worker``s (one thread each).
The clusters run with Dask's own monitoring turned down as docs/deploy.md advises
(``tests.fixtures.cluster.QUIET_DASK``); ``--dask-defaults`` leaves Dask's defaults.
Targets on a 2-core machine: two workers >= 1.8x one worker; the two-worker cluster within
10% of the local pool with --jobs 2.

Two rates per run: ``wall`` over the whole command (start-up, connecting, each worker's
first item starting its pool, and the closing resolve and index included), and ``steady``
between the first and the last commit of results (from the custody log), which is the
rate that extends to more machines. The fixed costs weigh on ``wall`` in inverse
proportion to the corpus: use a few hundred pages. First, the machine's own ceiling: the
same pages through bare ``tesseract`` one at a time and two at a time; on a shared or
virtual machine two processes may not get two cores' worth, and no executor can beat that.
The figures mean little while anything else runs: the load average is printed with each.
With --cluster the measured tree is the coordinator alone (the scheduler and workers are
separate processes), so its RSS is the coordinator's, which must stay flat however large
the case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
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


def ceiling(corpus: Path, pages: int = 8) -> float:
    """How much faster two bare Tesseracts go than one, on this machine, now."""
    files = sorted(corpus.glob("*.png"))[:pages]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def ocr(path: Path) -> None:
        cmd = ["tesseract", str(path), "stdout", "-l", "eng"]
        subprocess.run(cmd, env=env, capture_output=True, check=True)

    def timed(workers: int) -> float:
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(ocr, files))
        return time.perf_counter() - started

    one, two = timed(1), timed(2)
    print(
        f"bare tesseract, {len(files)} pages: one at a time {one:.1f} s, two at a time "
        f"{two:.1f} s = {one / two:.2f}x (the most two workers can gain here)"
    )
    return one / two


class CpuSampler:
    """CPU seconds used by every process under this one (the ingest with its pool and
    Tesseracts, and the loopback scheduler and workers) while it runs. Sampled, so each
    short Tesseract's last tenth of a second is missed alike in every mode: a measure of
    the work a mode does, which other load on the machine hardly moves."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.seen: dict[tuple[int, float], float] = {}
        self.base = self._sample()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> dict[tuple[int, float], float]:
        out = {}
        for p in psutil.Process().children(recursive=True):
            try:
                t = p.cpu_times()
                out[(p.pid, p.create_time())] = t.user + t.system
            except psutil.Error:
                pass
        return out

    def _run(self) -> None:
        while not self.stop.is_set():
            self.seen.update(self._sample())
            time.sleep(0.05)

    def __enter__(self) -> CpuSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.seen.update(self._sample())

    def seconds(self) -> float:
        return sum(cpu - self.base.get(key, 0.0) for key, cpu in self.seen.items())


def ingest(corpus: Path, case: Path, *extra: str) -> tuple[Measured, float]:
    shutil.rmtree(case, ignore_errors=True)
    with CpuSampler() as cpu:
        m = run_measured(
            [sys.executable, "-m", "docket", "ingest", str(corpus), "--case", str(case), *extra]
        )
    if m.returncode != 0:
        raise SystemExit(f"ingest {' '.join(extra)} exited {m.returncode}")
    return m, cpu.seconds()


def steady_rate(case: Path) -> tuple[float, str]:
    """Items per minute between the first and the last commit, and the run's executor."""
    commits: list[tuple[float, int]] = []
    executor = ""
    for line in (case / "custody.log").read_text().splitlines():
        event = json.loads(line)
        if event["event"] == "run-start":
            executor = event["executor"]
        elif event["event"] == "items":
            stamp = time.mktime(time.strptime(event["time"][:19], "%Y-%m-%dT%H:%M:%S"))
            commits.append((stamp + float("0" + event["time"][19:-1]), len(event["items"])))
    if len(commits) < 2 or commits[-1][0] <= commits[0][0]:
        return 0.0, executor
    items = sum(n for _, n in commits[1:])
    return items / (commits[-1][0] - commits[0][0]) * 60, executor


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument(
        "--dask-defaults",
        action="store_true",
        help="keep Dask's own monitoring at its defaults (the clusters turn it down, as "
        "docs/deploy.md advises)",
    )
    args = ap.parse_args()
    corpus = OUT / f"scans-{args.pages}"
    if not corpus.exists():
        t = time.perf_counter()
        build_scans(corpus, args.pages)
        print(f"built {args.pages} scanned pages in {time.perf_counter() - t:.1f} s")
    print(f"machine: {os.cpu_count()} cores")
    ceiling(corpus)
    case = OUT / "case-cluster"

    cpu: dict[str, float] = {}

    def run(label: str, *extra: str) -> tuple[float, float]:
        load = os.getloadavg()[0]
        m, cpu[label] = ingest(corpus, case, *extra)
        wall = args.pages / m.seconds * 60
        steady, executor = steady_rate(case)
        rss = m.peak_rss_total if "--cluster" in extra else m.peak_rss_one
        whose = "coordinator" if "--cluster" in extra else "largest process"
        print(
            f"{label:<20} {args.pages} pages in {m.seconds:6.1f} s: wall {wall:6.1f}, "
            f"steady {steady:6.1f} pages/min; CPU {cpu[label] / args.pages:.2f} s/page; "
            f"peak RSS {rss / 2**20:.0f} MB ({whose}); "
            f"load before {load:.1f}; {executor}"
        )
        return wall, steady

    local = run("local", "--jobs", str(args.jobs))
    rates = {}
    for n in (1, 2):
        with LoopbackCluster(workers=n, threads=1, quiet=not args.dask_defaults) as c:
            rates[n] = run(f"dask, {n} worker(s)", "--cluster", c.address)
    extra_cpu = 100 * (cpu["dask, 2 worker(s)"] / cpu["local"] - 1)
    print(
        f"   CPU: the two-worker cluster spends {extra_cpu:+.1f}% CPU per page against the "
        "local pool (scheduler, nannies and workers included)"
    )
    shutil.rmtree(case, ignore_errors=True)
    for i, kind in enumerate(("wall", "steady")):
        print(
            f"{kind:>6}: two workers / one worker {rates[2][i] / rates[1][i]:.2f}x (target "
            f">= 1.8x); the two-worker cluster costs "
            f"{100 * (local[i] - rates[2][i]) / local[i]:+.1f}% against the local pool "
            "(negative: faster; target <= +10%)"
        )


if __name__ == "__main__":
    main()
