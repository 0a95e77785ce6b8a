"""``docket doctor``: check this machine for what a case needs (``docket.doctor``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from docket.cli.common import CaseOpt, JsonOpt, case_path, out, print_json
from docket.model.errors import CheckFailed


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)


def doctor(
    ctx: typer.Context,
    source: Annotated[
        Path | None,
        typer.Argument(help="A source you mean to ingest: free disk is checked against its size."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            help="Also check the Dask scheduler and its workers' Docket versions.",
        ),
    ] = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check Tesseract and OCR languages, Chromium, libarchive, data files, the spaCy model,
    the case folder and free disk; exit 1 when a must-have is missing."""
    from docket.doctor import failed_must_haves, run_checks
    from docket.settings import load_settings

    folder = case_path(ctx, case)
    settings = load_settings(folder if folder.is_dir() else None)
    checks = run_checks(folder, settings, source=source, cluster=cluster or None)
    failed = failed_must_haves(checks)
    if as_json:
        print_json({"ok": not failed, "checks": [c.as_dict() for c in checks]})
    else:
        for c in checks:
            mark = "[green]✓[/]" if c.ok else ("[red]✗[/]" if c.must_have else "[yellow]✗[/]")
            note = "" if c.ok or c.must_have else " (optional)"
            out.print(f"{mark} {escape(c.name)}{note}: {escape(c.detail)}")
            if not c.ok and c.fix:
                out.print(f"    fix: {c.fix}", markup=False)
        out.print(
            f"\n{len(failed)} must-have(s) missing"
            if failed
            else "\nready: every must-have is here"
        )
    if failed:
        raise typer.Exit(CheckFailed.exit_code)
