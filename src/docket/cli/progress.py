"""Progress display for ``docket ingest`` and ``docket enrich``: a live bar per stage on a
terminal, log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

Counters = Any  # pipeline.ingest.Progress or pipeline.enrichment.EnrichProgress


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


class LiveBar:
    """A rich progress bar: items, bytes, rate, ETA and failures so far."""

    def __init__(self, console: Console, label: str = "ingest") -> None:
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
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
            label, total=None, bytes="0 B", rate="0.0", failures=0, executor=""
        )
        self.bytes = True  # the enrich stage reads no bytes: its bar leaves them out
        self.bar.start()

    def stage(self, label: str) -> LiveBar:
        """A second bar under this one, for the next stage of the same run."""
        other = object.__new__(LiveBar)
        other.bar, other.bytes = self.bar, False
        other.task = self.bar.add_task(
            label, total=None, bytes="", rate="0.0", failures=0, executor=""
        )
        return other

    def update(self, p: Counters) -> None:
        self.bar.update(
            self.task,
            completed=p.done,
            total=max(p.total, p.done),
            bytes=human_bytes(p.bytes_done) if self.bytes else "",
            rate=f"{p.rate():.1f}",
            failures=p.failures,
            executor=p.executor,  # on a cluster: how many workers are connected now
        )

    def close(self) -> None:
        self.bar.stop()


class LogLines:
    """Plain progress lines for logs and pipes, at most one every few seconds."""

    def __init__(self, every: float = 5.0, label: str = "ingest") -> None:
        self.every = every
        self.last = 0.0
        self.label = label

    def stage(self, label: str) -> LogLines:
        return LogLines(self.every, label)

    def update(self, p: Counters) -> None:
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        print(
            f"{self.label}: {p.done}/{max(p.total, p.done)} items, "
            + (f"{human_bytes(p.bytes_done)}, " if self.label == "ingest" else "")
            + f"{p.rate():.1f} items/s, {p.failures} not ok"
            + (f", on {p.executor}" if p.executor else ""),
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        pass


class NextStage:
    """The bar (or log lines) of a run's next stage, shown once that stage reports."""

    def __init__(self, first: LiveBar | LogLines, label: str) -> None:
        self.first, self.label = first, label
        self.shown: LiveBar | LogLines | None = None

    def update(self, p: Counters) -> None:
        if self.shown is None:
            self.shown = self.first.stage(self.label)
        self.shown.update(p)
