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
        f"{verb}: {_items(progress.processed)} processed in {elapsed:.1f} s "
        f"({progress.rate():.1f} items/s); case holds {_items(summary['items'])}"
        + (f" ({progress.already} done by earlier runs)" if progress.already else "")
    )
    if progress.retried:
        console.print(f"retried {_items(progress.retried)} that an internal error failed before")
    if progress.reopened:
        console.print(f"tried the passwords on {_items(progress.reopened)} left encrypted before")
    _print_internal(console, progress)
    print_enrich_internal(console, progress.enrich_internal)
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


def summary_json(progress: Progress, summary: dict[str, Any], elapsed: float) -> dict[str, Any]:
    """The summary as ``docket ingest --json`` prints it (docs/cli.md): this run's work
    and outcome, its not-ok items grouped, the case's items by status, the custody head."""
    groups = sorted(progress.not_ok.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "run": progress.run,
        "status": progress.status,
        "reason": progress.reason,
        "processed": progress.processed,
        "already": progress.already,
        "retried": progress.retried,
        "reopened": progress.reopened,
        "items": summary["items"],
        "by_status": summary["by_status"],
        "failures_by_code": [
            {"status": status, "code": code or None, "message": message or None, "count": n}
            for (status, code, message), n in groups
        ],
        "internal": internal_groups(progress.internal),
        "enrich_internal": internal_groups(progress.enrich_internal),
        "custody_head": {"seq": progress.custody_seq, "hash": progress.custody_head},
        "elapsed_s": round(elapsed, 3),
    }


def internal_groups(internal: dict[str, int]) -> list[dict[str, Any]]:
    """Internal failures by signature, the most frequent first (``--json``)."""
    ordered = sorted(internal.items(), key=lambda kv: -kv[1])
    return [{"signature": signature, "count": n} for signature, n in ordered]


def print_enrich_internal(console: Console, internal: dict[str, int]) -> None:
    """The enrich stage's bugs, in red: each item keeps what extraction found and stays to
    do, so `docket enrich` runs it again once Docket is fixed."""
    if not internal:
        return
    console.print(
        f"\n[bold red]{_items(sum(internal.values()))} could not be enriched: an internal "
        "error[/] — a bug in Docket, not in the data; please report it. Fixed, "
        "`docket enrich` runs them again:"
    )
    for group in internal_groups(internal)[:GROUPS_SHOWN]:
        console.print(f"  [red]{group['count']:>6} × {shown(group['signature'])}[/]")


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _print_internal(console: Console, progress: Progress) -> None:
    groups = sorted(progress.internal.items(), key=lambda kv: -kv[1])
    if not groups:
        return
    n = sum(progress.internal.values())
    console.print(
        f"\n[bold red]{_items(n)} failed with an internal error[/] — a bug in Docket, not in "
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
    console.print(f"\n{_items(n)} not ok in this run (recorded; docket status lists each):")
    for (status, code, message), count in groups[:GROUPS_SHOWN]:
        console.print(f"  {count:>6} × {status:<11} {shown(code):<16} {shown(message)}")
    if len(groups) > GROUPS_SHOWN:
        rest = sum(count for _, count in groups[GROUPS_SHOWN:])
        console.print(f"  … and {rest} more items in {len(groups) - GROUPS_SHOWN} other groups")
