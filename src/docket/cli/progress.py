"""Progress display for ``docket ingest``: a live bar on a terminal, log lines otherwise."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from docket.pipeline.ingest import Progress as Counters


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


class LiveBar:
    """A rich progress bar: items, bytes, rate, ETA and failures so far."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} items"),
            TextColumn("{task.fields[bytes]}"),
            TextColumn("{task.fields[rate]}/s"),
            TextColumn("[red]{task.fields[failures]} not ok"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("[dim]{task.fields[executor]}"),
            console=console,
            transient=False,
        )
        self.task = self.bar.add_task(
            "ingest", total=None, bytes="0 B", rate="0.0", failures=0, executor=""
        )
        self.bar.start()

    def update(self, p: Counters) -> None:
        self.bar.update(
            self.task,
            completed=p.done,
            total=max(p.total, p.done),
            bytes=human_bytes(p.bytes_done),
            rate=f"{p.rate():.1f}",
            failures=p.failures,
            executor=p.executor,  # on a cluster: how many workers are connected now
        )

    def close(self) -> None:
        self.bar.stop()


class LogLines:
    """Plain progress lines for logs and pipes, at most one every few seconds."""

    def __init__(self, every: float = 5.0) -> None:
        self.every = every
        self.last = 0.0

    def update(self, p: Counters) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        print(
            f"ingest: {p.done}/{max(p.total, p.done)} items, {human_bytes(p.bytes_done)}, "
            f"{p.rate():.1f} items/s, {p.failures} not ok"
            + (f", on {p.executor}" if p.executor else ""),
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        pass
