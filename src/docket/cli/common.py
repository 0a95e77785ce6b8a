"""Shared pieces of the command line: the app, consoles, options, opening a case."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from docket.case import Case, CaseError

app = typer.Typer(
    name="docket",
    help="Turn a seized or leaked document cache into an evidence-grade, searchable case.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)
DEFAULT_CASE = Path("docket-case")
BROKEN_CASE = 3

CaseOpt = Annotated[
    Path | None,
    typer.Option(
        "--case",
        envvar="DOCKET_CASE",
        help="Case folder (default ./docket-case).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def case_path(ctx: typer.Context, case: Path | None) -> Path:
    if case is not None:
        return case
    return (ctx.obj or {}).get("case") or DEFAULT_CASE


def open_case(ctx: typer.Context, case: Path | None, **kw: Any) -> Case:
    try:
        opened = Case.open(case_path(ctx, case), **kw)
        if opened.index_stale:  # built by an older Docket: rebuilt before it is read
            err.print("The search index was built by another Docket version: rebuilding it…")
            writable = Case.open(opened.root) if kw.get("readonly") else opened
            err.print(f"{writable.rebuild_index()} items indexed")
            if writable is not opened:
                writable.close()
        return opened
    except CaseError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(BROKEN_CASE) from exc


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
