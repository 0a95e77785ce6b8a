"""The core commands: ingest, status, list, search, show, verify, demo."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from docket.case import Case
from docket.cli.common import (
    CaseOpt,
    JsonOpt,
    case_path,
    err,
    open_case,
    out,
    print_json,
    shown,
    shown_path,
)
from docket.model.errors import BadArguments


def register(app: typer.Typer) -> None:
    """Add the core commands to ``app``."""
    for command in (ingest, status, list_items, search, show, verify, demo):
        app.command(COMMAND_NAMES.get(command.__name__, command.__name__))(command)


COMMAND_NAMES = {"list_items": "list"}


class BadQuery(BadArguments):
    """The search query cannot be read (syntax, nesting too deep)."""

    label = "bad query"


def ingest(
    ctx: typer.Context,
    # str, not Path: click turns "" into Path("."), which would ingest the working folder.
    sources: Annotated[list[str], typer.Argument(help="Folders, files, archives, mail stores.")],
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default and 0: all cores)."),
    ] = None,
    known_hashes: Annotated[
        list[Path] | None,
        typer.Option(
            "--known-hashes",
            help="Known-file hash set (NSRL NSRLFile.txt, or one MD5/SHA-1/SHA-256 a line);"
            " matching items are inventoried but not extracted. Repeatable.",
        ),
    ] = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Keys for encrypted volumes in disk images (BitLocker, LUKS, FileVault 2):"
            " one 'kind: value' a line — password, recovery, key (hex) or bek (a file);"
            " see docs/formats.md.",
        ),
    ] = None,
    passwords: Annotated[
        Path | None,
        typer.Option(
            "--passwords",
            help="Passwords for encrypted documents and archives (Office, PDF, zip, 7z): one"
            " a line, UTF-8, tried in order; on a case already ingested, items left"
            " encrypted are tried again. See docs/formats.md.",
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            metavar="ADDRESS",
            help="Process on a Dask cluster (tcp://host:8786 or tls://…); see docs/deploy.md.",
        ),
    ] = None,
    ocr: Annotated[
        bool | None,
        typer.Option(
            "--ocr/--no-ocr",
            help="OCR images and image-only PDF pages (default: on; setting 'ocr').",
            show_default=False,
        ),
    ] = None,
    ocr_lang: Annotated[
        str | None,
        typer.Option(
            "--ocr-lang",
            metavar="LANGS",
            help="Tesseract languages, e.g. ara+eng (default; setting 'ocr_lang').",
        ),
    ] = None,
    enrich: Annotated[
        bool,
        typer.Option(
            "--enrich/--no-enrich",
            help="Run the enrich stage right after extraction (default), or leave it for "
            "`docket enrich`.",
        ),
    ] = True,
    case: CaseOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's summary as one JSON object.")
    ] = False,
) -> None:
    """Ingest sources into the case: store, extract and index every item (search works
    from then on), then enrich them. Re-running resumes; nothing is done twice."""
    from docket.cli.arguments import check_jobs, check_key_file, check_passwords, check_sources
    from docket.cli.progress import LiveBar, LogLines, NextStage
    from docket.enrich import selected as selected_enrichers
    from docket.model.errors import INTERRUPTED_BY_USER, DiskFull, DocketError, RunAborted
    from docket.pipeline.ingest import Progress
    from docket.pipeline.ingest import ingest as run_ingest
    from docket.pipeline.outcome import is_disk_full

    paths = check_sources(sources, case_path(ctx, case))
    unreadable = [str(k) for k in known_hashes or [] if not k.is_file()]
    if unreadable:
        raise BadArguments(f"no such hash set: {', '.join(unreadable)}")
    jobs = check_jobs(jobs)
    keys = check_key_file(key_file)
    password_list = check_passwords(passwords)
    c = open_case(
        ctx, case, create=True, jobs=jobs, cluster=cluster, ocr=ocr, ocr_lang=ocr_lang,
        key_file=keys, passwords=password_list,
    )  # fmt: skip
    try:
        selected_enrichers(c.settings)
    except ValueError as exc:
        c.close()
        raise BadArguments(str(exc)) from exc
    root = c.root
    reporter = LiveBar(err) if err.is_terminal else LogLines()
    started = time.monotonic()
    progress = Progress()
    # The run's end, however it comes: the summary (on stderr; with --json also as JSON on
    # stdout), then the exit code — a DocketError or DiskFull goes on to the one handler.
    try:
        run_ingest(
            c, paths, reporter=reporter, known_hashes=known_hashes or (), progress=progress,
            enrich=enrich, enrich_reporter=NextStage(reporter, "enrich"),
        )  # fmt: skip
    except RunAborted:
        reporter.close()
        _summary(root, progress, time.monotonic() - started, as_json)
        raise
    except DiskFull as exc:
        reporter.close()
        _summary(root, progress, time.monotonic() - started, as_json)
        raise DiskFull(f"{exc} (case {root})") from None
    except (OSError, sqlite3.Error) as exc:
        if not is_disk_full(exc):  # e.g. the case on a disk already full before the run
            raise
        reporter.close()
        raise DiskFull(f"{exc} (case {root})") from None
    except DocketError:  # a broken case, a cluster error: before or outside the run
        reporter.close()
        raise
    except KeyboardInterrupt:
        reporter.close()
        err.print("[yellow]interrupted[/]: run `docket ingest` again to resume")
        if as_json and progress.status == "interrupted":
            _summary(root, progress, time.monotonic() - started, as_json, text=False)
        raise typer.Exit(INTERRUPTED_BY_USER) from None
    reporter.close()
    _summary(root, progress, time.monotonic() - started, as_json)


def _summary(root: Path, progress: Any, elapsed: float, as_json: bool, text: bool = True) -> None:
    """Print the run's summary; a full disk may leave the case unreadable: then a note."""
    from docket.cli.summary import print_summary, summary_json

    try:
        case = Case.open(root, readonly=True)
        try:
            summary = case.catalogue.summary()
        finally:
            case.close()
    except Exception as again:  # reading the case may need space too; the message matters
        err.print(f"(no summary: {shown(str(again))})")
        return
    if text:
        print_summary(err, progress, summary, elapsed)
    if as_json:
        print_json(summary_json(progress, summary, elapsed))


def status(ctx: typer.Context, case: CaseOpt = None, as_json: JsonOpt = False) -> None:
    """Items, bytes, counts by status and type, and every item that is not ok."""
    from docket.cli.progress import human_bytes
    from docket.views.stages import enrich_internal, stage_progress

    c = open_case(ctx, case, readonly=True)
    summary = c.catalogue.summary()
    summary["failures"] = [
        {k: item[k] for k in ("id", "path", "status", "code", "message")}
        for item in c.catalogue.items("status != 'ok'")
    ]
    # Bugs in Docket, apart from the data's failures (they are in "failures" too).
    summary["internal"] = [f for f in summary["failures"] if f["code"] == "internal"]
    summary["internal"] += enrich_internal(c)  # an enricher's bug leaves the item ok
    summary["runs"] = [
        {
            k: r.get(k)
            for k in ("id", "started", "finished", "status", "reason", "executor", "docket")
        }
        for r in c.catalogue.runs()
    ]
    summary["stages"] = stage_progress(c)  # extraction's, then enrichment's
    if as_json:
        print_json(summary)
        return
    out.print(f"[bold]{summary['items']}[/] items, {human_bytes(summary['bytes'])}")
    for name, stage in summary["stages"].items():
        out.print(f"{name}: {stage['done']:,} of {stage['total']:,} items")
    for title, key in (("status", "by_status"), ("type", "by_type")):
        table = Table(show_edge=False)
        table.add_column(title)
        table.add_column("items", justify="right")
        for k, n in summary[key].items():
            table.add_row(k, str(n))
        out.print(table)
    if summary["runs"]:
        # Which machines did the work: local:N, or dask:ADDRESS (N workers, M threads).
        table = Table(show_edge=False)
        for col in ("run", "started", "status", "executor", "docket"):
            table.add_column(col)
        for r in summary["runs"]:
            table.add_row(
                str(r["id"]),
                r["started"] or "",
                r["status"] or "",
                r["executor"] or "-",
                r["docket"] or "",
            )
        out.print(table)
        for r in summary["runs"]:
            if r["reason"]:
                out.print(f"run {r['id']} {r['status']}: {shown(r['reason'])}")
    if summary["internal"]:
        out.print(
            f"\n[bold red]{len(summary['internal'])} items failed with an internal error[/]"
            " (a bug in Docket; the next `docket ingest` processes them again):"
        )
        for f in summary["internal"][:50]:
            out.print(f"  {f['id']}  {shown_path(f['path'])}\n    [red]{shown(f['message'])}[/]")
        if len(summary["internal"]) > 50:
            out.print(f"  … and {len(summary['internal']) - 50} more (--json lists all)")
    data_failures = [f for f in summary["failures"] if f["code"] != "internal"]
    if data_failures:
        out.print(
            f"\n[bold]{len(data_failures)} items not ok[/] (docket list --status S for one kind):"
        )
        for f in data_failures[:50]:
            out.print(
                f"  {f['id']}  {f['status']:<11} {shown(f['code'] or ''):<16} {shown_path(f['path'])}"
            )
        if len(data_failures) > 50:
            out.print(f"  … and {len(data_failures) - 50} more (--json lists all)")


def list_items(
    ctx: typer.Context,
    status_: Annotated[
        str | None, typer.Option("--status", help="Only items with this status.")
    ] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="Only this type or family (pdf, document…).")
    ] = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every item; with --json one object per line."""
    c = open_case(ctx, case, readonly=True)
    where, params = ["1"], []
    if status_:
        where.append("status = ?")
        params.append(status_)
    if type_:
        from docket.extract.types import TYPES

        keys = [t.key for t in TYPES.values() if type_ in (t.key, t.family)] or [type_]
        where.append(f"type IN ({','.join('?' * len(keys))})")
        params.extend(keys)
    for item in c.catalogue.items(" AND ".join(where), params):
        row = {
            k: item[k]
            for k in ("id", "path", "type", "size", "sha256", "status", "code", "message")
        }
        if as_json:
            print_json(row)
        else:
            code = f" {shown(row['code'])}" if row["code"] else ""
            out.print(
                f"{row['id']}  {row['status']}{code}  {shown(row['type'] or '-')}  "
                f"{shown_path(row['path'])}"
            )


def search(
    ctx: typer.Context,
    query: Annotated[
        str, typer.Argument(help='Words, "phrases", OR, -exclude, prefix*, field:value.')
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=100_000, help="Most hits to show.")
    ] = 10,
    offset: Annotated[
        int, typer.Option("--offset", min=0, help="Skip this many hits (paging).")
    ] = 0,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search over the case."""
    from docket.store.query import QueryError
    from docket.views.search import search as run_search

    c = open_case(ctx, case)
    try:  # an index found damaged when first read is a CaseError: exit 3
        result = run_search(c, query, limit=limit, offset=offset)
    except QueryError as exc:
        raise BadQuery(str(exc)) from exc
    if as_json:
        print_json(result)
        return
    from docket.cli.render import terminal_snippet

    out.print(f"[bold]{result['total']}[/] hits")
    for hit in result["hits"]:
        out.print(
            f"\n[cyan]{hit['id']}[/]  {shown(hit['type'])}  {shown_path(hit['path'])}"
            f"  [dim]{hit['score']}[/]"
        )
        out.print("  " + terminal_snippet(hit["snippet"]))
        if via := hit.get("via_alias"):
            out.print(
                f"  [dim]found through the alias {shown(via['alias'])} of {shown(via['name'])}[/]"
            )


def show(
    ctx: typer.Context,
    item_id: Annotated[
        str, typer.Argument(metavar="ID", help="Item id (a unique prefix is enough).")
    ],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One item: where it came from, its hashes, metadata and text."""
    from docket.views.item import item_detail

    c = open_case(ctx, case, readonly=True)
    matches = c.catalogue.find_items(item_id)
    if len(matches) != 1:
        raise BadArguments(f"{'no item' if not matches else 'several items'} match {item_id!r}")
    detail = item_detail(c, matches[0])
    if as_json:
        print_json(detail)
        return
    from docket.cli.render import print_item

    print_item(out, detail)


def verify(
    ctx: typer.Context,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
    seal: Annotated[
        Path | None,
        typer.Option("--seal", help="Also prove the case extends this seal (docket seal)."),
    ] = None,
) -> None:
    """Check every item, text, blob and finding against the custody log; exit 1 naming
    each mismatch, 6 for an interrupted run (resume with `docket ingest`)."""
    from docket.cli.seal import seal_line, verify_seal
    from docket.verify.integrity import INTERRUPTED
    from docket.verify.integrity import verify as run_verify

    # A catalogue that lost tables is opened anyway: verify names each (table-missing).
    c = open_case(ctx, case, readonly=True, damaged_ok=True, repair_index=False)
    report = run_verify(c)
    sealed = verify_seal(c, report, seal) if seal is not None else None
    if as_json:
        print_json({**report.as_json(), **({"seal": sealed} if sealed is not None else {})})
    else:
        for p in report.problems:
            where = f" item {p.item} ({shown_path(p.path)})" if p.item else ""
            label = {"interrupted": "[yellow]INTERRUPTED[/]", "in-progress": "[yellow]PENDING[/]"}
            out.print(f"{label.get(p.code, '[red]MISMATCH[/]')} {p.code}{where}: {shown(p.detail)}")
        if sealed is not None:
            out.print(seal_line(sealed))
        if report.ok:
            verdict = "[green]ok[/]"
        elif report.exit_code == INTERRUPTED and report.interrupted:
            verdict = "[yellow]interrupted run, resume with `docket ingest`[/]"
        elif report.exit_code == INTERRUPTED:
            verdict = "[yellow]an ingest is writing the case; verify again when it ends[/]"
        else:
            verdict = f"[red]{len(report.problems)} problem(s)[/]"
        out.print(
            f"verify: {report.items_checked} items, {report.texts_checked} texts, "
            f"{report.blobs_checked} blobs re-hashed, {report.findings_checked} findings, "
            f"{report.custody_lines} custody lines checked: {verdict}"
        )
        out.print(f"custody head: line {report.head_seq}, sha256 {report.head_hash}")
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def demo(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the sample cache.")] = Path(
        "docket-demo/cache"
    ),
    jobs: Annotated[int | None, typer.Option("--jobs", "-j")] = None,
    case: CaseOpt = None,
) -> None:
    """Generate a fictional sample cache, ingest it, and print the status."""
    from docket.demo.generator import generate

    target = case or (ctx.obj or {}).get("case") or Path("docket-demo/case")
    files = generate(out_dir)
    err.print(f"sample cache: {len(files)} files written to {out_dir}")
    ctx.invoke(ingest, ctx=ctx, sources=[out_dir], jobs=jobs, case=target)
    out.print()
    ctx.invoke(status, ctx=ctx, case=target, as_json=False)
    err.print(f"\ntry:  docket search 'transfer OR payroll' --case {target}")
    err.print(f"      docket search 'النعيمي' --case {target}")
    err.print(f"      docket status --case {target}")
