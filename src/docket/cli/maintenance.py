"""Repairs of what is derived from the catalogue: ``docket reindex``."""

from __future__ import annotations

import typer

from docket.case import CaseError
from docket.cli.common import BROKEN_CASE, CaseOpt, err, open_case, shown


def register(app: typer.Typer) -> None:
    """Add the maintenance commands to ``app``."""
    app.command("reindex")(reindex)


def reindex(ctx: typer.Context, case: CaseOpt = None) -> None:
    """Rebuild the search index from the catalogue (after it was damaged or deleted)."""
    c = open_case(ctx, case, repair_index=False)  # rebuilt below, whatever its state
    try:
        n = c.reset_index()
    except CaseError as exc:
        err.print(f"[red]error:[/] {shown(str(exc))}")
        raise typer.Exit(BROKEN_CASE) from exc
    finally:
        c.close()
    err.print(f"search index rebuilt: {n} items indexed")
