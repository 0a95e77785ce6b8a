"""``docket enrich``: run or re-run the enrich stage on a case."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from docket.cli.common import CaseOpt, err, open_case, print_json
from docket.model.errors import BadArguments


def register(app: typer.Typer) -> None:
    """Add the enrich command to ``app``."""
    app.command("enrich")(enrich)


def enrich(
    ctx: typer.Context,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            metavar="NAME",
            help="Re-run this enricher on every item (after a rules or model change); "
            "repeatable. Its earlier output is replaced, other enrichers' kept.",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default and 0: all cores)."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", metavar="ADDRESS", help="Enrich on a Dask cluster."),
    ] = None,
    case: CaseOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's outcome as one JSON object.")
    ] = False,
) -> None:
    """Enrich the items extraction finished (dates, patterns, names, tables, letters),
    then resolve entities. Resumes after an interruption; never redoes a finished item."""
    from docket.cli.arguments import check_jobs
    from docket.cli.progress import LiveBar, LogLines
    from docket.cli.summary import internal_groups, print_enrich_internal
    from docket.enrich import ENRICHERS, selected
    from docket.model.errors import INTERRUPTED_BY_USER
    from docket.pipeline.enrichment import EnrichProgress
    from docket.pipeline.enrichment import enrich as run_enrich

    names = [n.strip() for o in only or [] for n in o.split(",") if n.strip()]
    unknown = sorted(set(names) - {e.name for e in ENRICHERS})
    if unknown:
        known = ", ".join(e.name for e in ENRICHERS)
        raise BadArguments(f"unknown enricher(s): {', '.join(unknown)} (known: {known})")
    jobs = check_jobs(jobs)
    c = open_case(ctx, case, jobs=jobs, cluster=cluster)
    try:
        selected(c.settings)
    except ValueError as exc:
        c.close()
        raise BadArguments(str(exc)) from exc
    reporter = LiveBar(err, "enrich") if err.is_terminal else LogLines(label="enrich")
    progress = EnrichProgress()
    started = time.monotonic()
    try:
        run_enrich(c, names, reporter=reporter, progress=progress)
    except KeyboardInterrupt:
        reporter.close()
        err.print("[yellow]interrupted[/]: run `docket enrich` again to resume")
        raise typer.Exit(INTERRUPTED_BY_USER) from None
    reporter.close()
    elapsed = time.monotonic() - started
    err.print(
        f"enriched {progress.processed} items in {elapsed:.1f} s with "
        f"{', '.join(progress.names) or 'no enrichers'}; {progress.done} of {progress.total} "
        f"items done"
        + (f"; {progress.failures} could not be enriched" if progress.failures else "")
    )
    print_enrich_internal(err, progress.internal)
    if as_json:
        print_json({"run": progress.run, "status": progress.status, "enrichers": list(progress.names),
                    "processed": progress.processed, "done": progress.done,
                    "total": progress.total, "failures": progress.failures,
                    "internal": internal_groups(progress.internal),
                    "elapsed_s": round(elapsed, 3)})  # fmt: skip
