"""The summary ``docket ingest`` prints when a run ends, however it ended: this run's work,
its not-ok items grouped by status, code and message (internal errors first, in red:
they are bugs), the case's items by status, and the custody log's head."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from docket.cli.common import shown
from docket.model.errors import Code
from docket.pipeline.ingest import Progress
from docket.pipeline.tasks import internal_signature

GROUPS_SHOWN = 20  # not-ok groups listed; the rest are counted (docket status lists every item)


def print_summary(
    console: Console, progress: Progress, summary: dict[str, Any], elapsed: float
) -> None:
    """Print the end-of-run summary for ``progress`` (this run) and ``summary`` (the case)."""
    verb = {"completed": "done", "aborted": "run aborted", "disk-full": "run stopped"}.get(
        progress.status, progress.status
    )
    console.print(
        f"{verb}: {progress.processed} items processed in {elapsed:.1f} s "
        f"({progress.rate():.1f} items/s); case holds {summary['items']} items"
        + (f" ({progress.already} done by earlier runs)" if progress.already else "")
    )
    if progress.retried:
        console.print(f"retried {progress.retried} items that an internal error failed before")
    _print_internal(console, progress)
    _print_not_ok(console, progress)
    table = Table(title="items by status", show_edge=False)
    table.add_column("status")
    table.add_column("items", justify="right")
    for status, n in summary["by_status"].items():
        table.add_row(status, str(n))
    console.print(table)
    if progress.custody_seq:
        console.print(
            f"custody log head: line {progress.custody_seq}, sha256 {progress.custody_head}"
        )


def _print_internal(console: Console, progress: Progress) -> None:
    groups = sorted(progress.internal.items(), key=lambda kv: -kv[1])
    if not groups:
        return
    n = sum(progress.internal.values())
    console.print(
        f"\n[bold red]{n} items failed with an internal error[/] — a bug in Docket, not in "
        "the data; please report it. Fixed, `docket ingest` processes them again:"
    )
    for signature, count in groups[:GROUPS_SHOWN]:
        # The message of the group's first item: the traceback's last line and where.
        example = next(
            m
            for (_, code, m) in progress.not_ok
            if code == Code.INTERNAL and internal_signature(m) == signature
        )
        console.print(f"  [red]{count:>6} × {shown(example)}[/]")
    if len(groups) > GROUPS_SHOWN:
        console.print(f"  … and {len(groups) - GROUPS_SHOWN} more (docket status lists them)")


def _print_not_ok(console: Console, progress: Progress) -> None:
    groups = sorted(
        ((k, n) for k, n in progress.not_ok.items() if k[1] != Code.INTERNAL),
        key=lambda kv: (-kv[1], kv[0]),
    )
    if not groups:
        return
    n = sum(count for _, count in groups)
    console.print(f"\n{n} items not ok in this run (recorded; docket status lists each):")
    for (status, code, message), count in groups[:GROUPS_SHOWN]:
        console.print(f"  {count:>6} × {status:<11} {shown(code):<16} {shown(message)}")
    if len(groups) > GROUPS_SHOWN:
        rest = sum(count for _, count in groups[GROUPS_SHOWN:])
        console.print(f"  … and {rest} more items in {len(groups) - GROUPS_SHOWN} other groups")
