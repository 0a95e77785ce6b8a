"""``docket export``: the case in other tools' formats, and the findings report.

Each writes to standard output, or to ``--output``; with ``--output``, ``--json`` prints
``{"format", "path", "counts"}`` on stdout. Without it the export itself is what stdout
carries, so ``--json`` then is a bad argument (exit 2). ``csv`` always writes a folder or
a zip (``--output``, default ``docket-export``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from docket.cli.arguments import check_output
from docket.cli.common import CaseOpt, err, open_case, print_json, shown
from docket.model.errors import BadArguments, CheckFailed

export_app = typer.Typer(
    help="Export the case: the findings report, FollowTheMoney entities, CSV tables, "
    "a GEXF network and the custody provenance (CASE/UCO).",
    no_args_is_help=True,
)
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
]
ExportJsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", help='With --output: print {"format", "path", "counts"} on standard output.'
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


def _check_json(as_json: bool, output: Path | None) -> None:
    if as_json and output is None:
        raise BadArguments("--json needs --output: without it the export itself is the output")


def _done(
    as_json: bool, fmt: str, output: Path | None, counts: dict[str, int], message: str
) -> None:
    """Say what was written: ``message`` on stderr; with --json, the summary on stdout."""
    err.print(message)
    if as_json:
        summary: dict[str, Any] = {
            "format": fmt,
            "path": str(output) if output is not None else None,
            "counts": counts,
        }
        print_json(summary)


def _to(output: Path | None) -> str:
    return f" to {shown(str(output))}" if output is not None else ""


@export_app.command("report")
def report(
    ctx: typer.Context,
    output: OutputOpt = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Print to PDF with Chromium (needs --output).")
    ] = False,
    title: Annotated[str, typer.Option("--title", help="The report's title.")] = "Findings",
    seal: Annotated[
        Path | None,
        typer.Option("--seal", help="A seal (docket seal) to show, check and embed."),
    ] = None,
    case: CaseOpt = None,
    as_json: ExportJsonOpt = False,
) -> None:
    """The findings as one self-contained HTML file (or PDF) citing every source."""
    from docket.export.report import build_report, print_pdf
    from docket.verify.seal import SealError, read_seal
    from docket.views.findings import findings

    try:
        sealed = read_seal(seal) if seal is not None else None
    except SealError as exc:
        raise BadArguments(str(exc)) from exc

    check_output(output)
    _check_json(as_json, output)
    c = open_case(ctx, case)
    try:
        page = build_report(c, title, sealed)
        counts = {"findings": len(findings(c))} if as_json else {}
    finally:
        c.close()
    if pdf:
        if output is None:
            raise BadArguments("--pdf needs --output FILE.pdf")
        try:
            print_pdf(page, output)
        except (RuntimeError, OSError) as exc:
            raise CheckFailed(str(exc)) from exc
        _done(as_json, "pdf", output, counts, f"report written{_to(output)}")
    elif output is not None:
        output.write_text(page, encoding="utf-8")
        _done(as_json, "html", output, counts, f"report written{_to(output)}")
    else:
        sys.stdout.write(page + "\n")


@export_app.command("ftm")
def ftm(
    ctx: typer.Context,
    output: OutputOpt = None,
    case: CaseOpt = None,
    as_json: ExportJsonOpt = False,
) -> None:
    """FollowTheMoney entities as JSON lines: documents, people, organisations, mentions,
    payments, correspondence."""
    from docket.export.ftm import write_ftm
    from docket.export.graph import read_graph

    check_output(output)
    _check_json(as_json, output)
    c = open_case(ctx, case, readonly=True)
    graph = read_graph(c.catalogue)
    if output is None:
        n = write_ftm(graph, sys.stdout)
    else:
        with output.open("w", encoding="utf-8") as fh:
            n = write_ftm(graph, fh)
    _done(
        as_json,
        "ftm",
        output,
        {"entities": n},
        f"{n} FollowTheMoney entities written{_to(output)}",
    )


@export_app.command("csv")
def csv_tables(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A folder, or a file ending in .zip.")
    ] = Path("docket-export"),
    case: CaseOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help='Print {"format", "path", "counts"} (rows per file).')
    ] = False,
) -> None:
    """Entities, mentions, payments and correspondence as CSV files (folder or zip)."""
    from docket.export.graph import read_graph
    from docket.export.tables import tables, write_csv

    check_output(output, folder=output.suffix.lower() != ".zip")
    c = open_case(ctx, case, readonly=True)
    graph = read_graph(c.catalogue)
    names = write_csv(graph, output)
    # Rows per file, the header left out.
    counts = {name: len(rows) - 1 for name, rows in tables(graph).items()} if as_json else {}
    message = f"{', '.join(names)} written{_to(output)}"
    _done(as_json, "csv-zip" if output.suffix.lower() == ".zip" else "csv", output, counts, message)


@export_app.command("gexf")
def gexf(
    ctx: typer.Context,
    output: OutputOpt = None,
    case: CaseOpt = None,
    as_json: ExportJsonOpt = False,
) -> None:
    """People and organisations as a graph for Gephi: correspondence, payments and
    co-occurrence as edges."""
    from docket.export.gexf import write_gexf
    from docket.export.graph import read_graph

    check_output(output)
    _check_json(as_json, output)
    c = open_case(ctx, case, readonly=True)
    text = write_gexf(read_graph(c.catalogue))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        # Attribute values are quoteattr-escaped, so "<node " and "<edge " open elements only.
        counts = {"nodes": text.count("<node "), "edges": text.count("<edge ")}
        _done(as_json, "gexf", output, counts, f"graph written{_to(output)}")


@export_app.command("provenance")
def provenance(
    ctx: typer.Context,
    output: OutputOpt = None,
    case: CaseOpt = None,
    as_json: ExportJsonOpt = False,
) -> None:
    """Acquisition and custody history in CASE/UCO (JSON-LD): each ingest run as an
    investigative action, each item with its hashes and the container it came from."""
    from docket.export.provenance import write_provenance

    check_output(output)
    _check_json(as_json, output)
    c = open_case(ctx, case, readonly=True)
    try:
        if output is None:
            n = write_provenance(c, sys.stdout)
        else:
            with output.open("w", encoding="utf-8") as fh:
                n = write_provenance(c, fh)
    finally:
        c.close()
    _done(
        as_json,
        "provenance",
        output,
        {"items": n},
        f"provenance of {n} item{'' if n == 1 else 's'} written{_to(output)} (CASE/UCO)",
    )
