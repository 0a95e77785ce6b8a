"""Disk-image throughput: listing and hashing every file through Docket's reader against
The Sleuth Kit's own tools, and a full ingest.

    .venv/bin/python -m bench.disk [--files 20000] [--size-mb 2048] [--jobs N]

Builds (once, under bench/out/) an ext4 image with ``--files`` files (mke2fs -d from a
generated folder, no root) in an image of ``--size-mb``, then reports:
  * Docket's reader: list every file and hash it (the disk-image extractor streaming each
    file into a throwaway blob store, SHA-256 and all): files/s, MB/s, peak RSS;
  * ``fls -r`` + ``icat | sha256sum`` per file over the same image (the reference);
  * ``docket ingest`` of the image into a fresh case, with the default settings and with
    ``enrich=language``: files/s end to end and peak RSS of the process tree.
The issue's size is the default (2 GB, 20,000 files); ``--files 300 --size-mb 30`` is a
quick check. Needs ``mke2fs`` (e2fsprogs) and ``fls``/``icat`` (sleuthkit).
``--containers vmdk,qcow2,vhdx,vpc`` also reads the same image converted by ``qemu-img``
(qemu-utils) and prints the reader's CPU time per file through each, against raw.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import run_measured

OUT = Path(__file__).parent / "out"


def build(files: int, size_mb: int) -> Path:
    image = OUT / f"disk-{files}-{size_mb}.img"
    if image.exists():
        return image
    src = OUT / f"disk-{files}-src"
    partial = image.with_suffix(".partial")
    shutil.rmtree(src, ignore_errors=True)
    rng = random.Random(7)
    # The image is ``size_mb``; the files fill three quarters of it (half of a small one):
    # ext4 needs room for its journal, inode tables and block groups.
    fill = 0.75 if size_mb >= 512 else 0.5
    avg = max(1, int(size_mb * 1024 * 1024 * fill) // files)
    words = ["payroll", "transfer", "رواتب", "تحويل", "ledger", "office", "قائمة", "زيد"]
    for i in range(files):
        d = src / f"d{i // 500:03d}"
        d.mkdir(parents=True, exist_ok=True)
        size = rng.randint(avg // 2, avg * 3 // 2)
        line = (" ".join(rng.choice(words) for _ in range(12)) + f" {i}\n").encode()
        # whole lines: a cut would split a multi-byte Arabic letter
        (d / f"f{i:06d}.txt").write_bytes(line * max(1, size // len(line)))
    subprocess.run(
        [
            "mke2fs",
            "-q",
            "-t",
            "ext4",
            "-N",
            str(files + 1024),
            "-F",
            "-d",
            src,
            partial,
            f"{size_mb}M",
        ],
        check=True,
    )
    partial.rename(image)  # only a complete image is reused by the next run
    shutil.rmtree(src)
    return image


def docket_reader(image: Path, cpu: list[float] | None = None) -> tuple[float, int, int]:
    from docket.acquire.blobstore import BlobStore
    from docket.extract.run import extract_file

    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        started, cpu_start = time.perf_counter(), time.process_time()
        r = extract_file(
            image,
            BlobStore(Path(tmp)),
            size=image.stat().st_size,
            name=image.name,
            extension=image.suffix[1:],
            source=str(image),
        )
        took = time.perf_counter() - started
        if cpu is not None:
            cpu.append(time.process_time() - cpu_start)
    assert r.status == "ok", (r.status, r.message, r.warnings[:3])
    files = [c for c in r.children if c.blob is not None]
    return took, len(files), sum(c.blob.size for c in files)  # type: ignore[union-attr]


def sleuthkit(image: Path) -> tuple[float, int]:
    started = time.perf_counter()
    out = subprocess.run(["fls", "-r", "-F", "-u", str(image)], capture_output=True, text=True)
    inodes = [m.group(1) for m in re.finditer(r"^r/r ([\d-]+):", out.stdout, re.M)]
    for inode in inodes:
        icat = subprocess.Popen(["icat", str(image), inode], stdout=subprocess.PIPE)
        subprocess.run(["sha256sum"], stdin=icat.stdout, capture_output=True)
        icat.wait()
    return time.perf_counter() - started, len(inodes)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=20_000)
    ap.add_argument("--size-mb", type=int, default=2048)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--ingests",
        default="default,language",
        help="which full ingests to time: default (all enrichers), language (enrich=language)",
    )
    ap.add_argument(
        "--containers",
        default="",
        help="qemu-img formats to read the same image through (vmdk,qcow2,vhdx,vpc)",
    )
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    image = build(args.files, args.size_mb)
    mb = image.stat().st_size / 2**20
    print(f"image: {image.name}, {mb:.0f} MB, {args.files} files; nproc={os.cpu_count()}")
    cpu: list[float] = []
    took, n, nbytes = docket_reader(image, cpu)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"docket reader : {n} files, {nbytes / 2**20:.0f} MB listed+hashed in {took:.1f} s "
        f"({n / took:.0f} files/s, {nbytes / 2**20 / took:.0f} MB/s), peak RSS {rss:.0f} MB"
    )
    took_tsk, n_tsk = sleuthkit(image)
    print(
        f"fls+icat|sha256sum: {n_tsk} files in {took_tsk:.1f} s ({n_tsk / took_tsk:.0f} files/s);"
        f" docket/reference time {took / took_tsk:.2f}"
    )
    if args.containers:
        warm: list[float] = []  # raw again, now that every module is imported
        docket_reader(image, warm)
        for fmt in args.containers.split(","):
            containers(image, fmt, n, warm[0])
    runs = {"default": {}, "language": {"DOCKET_ENRICH": "language"}}
    for label in filter(None, args.ingests.split(",")):
        ingest(image, args, label if label == "default" else f"enrich={label}", runs[label])


def containers(image: Path, fmt: str, files: int, raw_cpu: float) -> None:
    """The reader over ``image`` converted to ``fmt``: CPU ms per file against raw."""
    converted = image.with_suffix({"vpc": ".vhd"}.get(fmt, "." + fmt))
    if not converted.exists():
        subprocess.run(["qemu-img", "convert", "-O", fmt, str(image), str(converted)], check=True)
    cpu: list[float] = []
    took, n, _ = docket_reader(converted, cpu)
    assert n == files, (fmt, n, files)
    print(
        f"docket reader via {fmt:6}: {n} files in {took:.1f} s wall; CPU {cpu[0] / n * 1000:.2f}"
        f" ms/file against {raw_cpu / files * 1000:.2f} raw ({cpu[0] / raw_cpu:.2f}x)"
    )


def ingest(image: Path, args: argparse.Namespace, label: str, extra: dict[str, str]) -> None:
    case = OUT / "disk-case"
    shutil.rmtree(case, ignore_errors=True)
    cmd = [sys.executable, "-m", "docket", "ingest", str(image), "--jobs", str(args.jobs)]
    m = run_measured([*cmd, "--case", str(case)], env={**os.environ, **extra})
    print(
        f"docket ingest ({label}): {args.files} files in {m.seconds:.1f} s "
        f"({args.files / m.seconds:.1f} files/s end to end), exit {m.returncode}, "
        f"peak RSS {m.peak_rss_total / 2**20:.0f} MB all processes "
        f"(largest {m.peak_rss_one / 2**20:.0f} MB)"
    )
    shutil.rmtree(case, ignore_errors=True)


if __name__ == "__main__":
    main()
