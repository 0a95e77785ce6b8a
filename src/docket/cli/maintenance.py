"""Repairs of what is derived from the catalogue: ``docket reindex``."""

from __future__ import annotations

import typer

from docket.cli.common import CaseOpt, err, open_case


def register(app: typer.Typer) -> None:
    """Add the maintenance commands to ``app``."""
    app.command("reindex")(reindex)


def reindex(ctx: typer.Context, case: CaseOpt = None) -> None:
    """Rebuild the search index from the catalogue (after it was damaged or deleted)."""
    c = open_case(ctx, case, repair_index=False)  # rebuilt below, whatever its state
    try:
        n = c.reset_index()
    finally:
        c.close()
    err.print(f"search index rebuilt: {n} items indexed")
