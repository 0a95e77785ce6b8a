"""``docket export``: the case in other tools' formats, and the findings report."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from docket.cli.arguments import check_output
from docket.cli.common import CaseOpt, err, open_case

export_app = typer.Typer(
    help="Export the case: the findings report, FollowTheMoney entities, CSV tables, "
    "a GEXF network and the custody provenance (CASE/UCO).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("report")
def report(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Print to PDF with Chromium (needs --output).")
    ] = False,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = "Findings",
    seal: Annotated[
        Path | None,
        typer.Option("--seal", help="A seal (docket seal) to show, check and embed."),
    ] = None,
    case: CaseOpt = None,
) -> None:
    """The findings as one self-contained HTML file (or PDF) citing every source."""
    from docket.export.report import build_report, print_pdf
    from docket.verify.seal import SealError, read_seal

    try:
        sealed = read_seal(seal) if seal is not None else None
    except SealError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc

    check_output(output)
    c = open_case(ctx, case)
    try:
        page = build_report(c, title, sealed)
    finally:
        c.close()
    if pdf:
        if output is None:
            err.print("[red]error:[/] --pdf needs --output FILE.pdf")
            raise typer.Exit(2)
        try:
            print_pdf(page, output)
        except (RuntimeError, OSError) as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from exc
        err.print(f"report written to {output}")
    elif output is not None:
        output.write_text(page, encoding="utf-8")
        err.print(f"report written to {output}")
    else:
        sys.stdout.write(page + "\n")


@export_app.command("ftm")
def ftm(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    case: CaseOpt = None,
) -> None:
    """FollowTheMoney entities as JSON lines: documents, people, organisations, mentions,
    payments, correspondence."""
    from docket.export.ftm import write_ftm
    from docket.export.graph import read_graph

    check_output(output)
    c = open_case(ctx, case, readonly=True)
    graph = read_graph(c.catalogue)
    if output is None:
        n = write_ftm(graph, sys.stdout)
    else:
        with output.open("w", encoding="utf-8") as fh:
            n = write_ftm(graph, fh)
    err.print(f"{n} FollowTheMoney entities written{f' to {output}' if output else ''}")


@export_app.command("csv")
def csv_tables(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A folder, or a file ending in .zip.")
    ] = Path("docket-export"),
    case: CaseOpt = None,
) -> None:
    """Entities, mentions, payments and correspondence as CSV files (folder or zip)."""
    from docket.export.graph import read_graph
    from docket.export.tables import write_csv

    check_output(output, folder=output.suffix.lower() != ".zip")
    c = open_case(ctx, case, readonly=True)
    names = write_csv(read_graph(c.catalogue), output)
    err.print(f"{', '.join(names)} written to {output}")


@export_app.command("gexf")
def gexf(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    case: CaseOpt = None,
) -> None:
    """People and organisations as a graph for Gephi: correspondence, payments and
    co-occurrence as edges."""
    from docket.export.gexf import write_gexf
    from docket.export.graph import read_graph

    check_output(output)
    c = open_case(ctx, case, readonly=True)
    text = write_gexf(read_graph(c.catalogue))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"graph written to {output}")


@export_app.command("provenance")
def provenance(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    case: CaseOpt = None,
) -> None:
    """Acquisition and custody history in CASE/UCO (JSON-LD): each ingest run as an
    investigative action, each item with its hashes and the container it came from."""
    from docket.export.provenance import write_provenance

    check_output(output)
    c = open_case(ctx, case, readonly=True)
    try:
        if output is None:
            n = write_provenance(c, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as fh:
                n = write_provenance(c, fh)
    finally:
        c.close()
    err.print(f"provenance of {n} items written{f' to {output}' if output else ''} (CASE/UCO)")
