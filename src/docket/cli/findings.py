"""Findings from the command line, as on the desk: ``docket finding list|show|add|edit|
comment|review``. The author is ``$DOCKET_USER``, else the system user. Each change is
written with its custody entry (and, on a server case, its audit entry) by
``docket.views.findings``, the same functions the desk calls."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from docket.cli.common import CaseOpt, JsonOpt, err, open_case, out, print_json, shown

finding_app = typer.Typer(help="Findings: list, show, add, edit, comment on and review them.")
IdArg = Annotated[int, typer.Argument(metavar="ID", help="The finding's id (docket finding list).")]
TagsOpt = Annotated[
    str | None, typer.Option("--tags", help="Comma-separated tags (replace the old ones).")
]


def register(app: typer.Typer) -> None:
    app.add_typer(finding_app, name="finding")


def _line(f: dict[str, Any]) -> str:
    n = len(f.get("comments") or [])
    return (
        f"[cyan]{f['id']}[/]  {f['state']:<9} v{f['version']}  {shown(f.get('author') or '?')}"
        f"  {shown(f['title'])}" + (f"  [dim]({n} comments)[/]" if n else "")
    )


@finding_app.command("list")
def list_findings(ctx: typer.Context, case: CaseOpt = None, as_json: JsonOpt = False) -> None:
    """Every finding, oldest first: state, version, author, title."""
    from docket.views.findings import findings

    rows = findings(open_case(ctx, case, readonly=True), comments=True)
    if as_json:
        print_json(rows)
        return
    for f in rows:
        out.print(_line(f))


@finding_app.command("show")
def show(
    ctx: typer.Context, finding_id: IdArg, case: CaseOpt = None, as_json: JsonOpt = False
) -> None:
    """One finding: its text, citations, comments and every version saved."""
    from docket.views.findings import finding

    f = finding(open_case(ctx, case, readonly=True), finding_id)
    if as_json:
        print_json(f)
        return
    _print(f)


def _print(f: dict[str, Any]) -> None:
    out.print(_line(f))
    if f.get("note"):
        out.print(shown(f["note"], keep_lines=True))
    for c in f.get("cites") or []:
        out.print(f"  cites {c.get('item')}" + (f": {shown(c['quote'])}" if c.get("quote") else ""))
    for c in f.get("comments") or []:
        out.print(f"  [dim]{c['time']}[/] {shown(c['author'] or '?')}: {shown(c['text'])}")
    for h in f.get("history") or []:
        out.print(
            f"  [dim]{h['time']} {shown(h['actor'] or '?')} {h['action']} v{h['version']} {h['state']}[/]"
        )


@finding_app.command("add")
def add(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(metavar="ITEM", help="The item the finding cites.")],
    title: Annotated[str, typer.Option("--title", help="The finding's title.")],
    note: Annotated[str, typer.Option("--note", help="A longer note.")] = "",
    tags: TagsOpt = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The words cited.")] = None,
    page: Annotated[int | None, typer.Option("--page", help="The page cited.")] = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a finding citing an item (a draft, version 1)."""
    from docket.model.errors import BadArguments
    from docket.views.findings import add as do_add
    from docket.views.findings import finding

    c = open_case(ctx, case)
    if c.catalogue.item(item) is None:
        raise BadArguments(f"no item {item}")
    cite: dict[str, Any] = {"item": item}
    if page is not None:
        cite["page"] = page
    if quote:
        cite["quote"] = quote
    fid = do_add(c, title=title, note=note, tags=_tags(tags), cites=[cite])
    _done(finding(c, fid), as_json, "added")


def _tags(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def _done(f: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        print_json(f)
    else:
        out.print(f"{verb}: " + _line(f))


@finding_app.command("edit")
def edit(
    ctx: typer.Context,
    finding_id: IdArg,
    base: Annotated[
        int | None,
        typer.Option(
            "--base",
            help="The version your edit began from (docket finding show): refused if another "
            "analyst saved since. Default: the current version.",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="New note.")] = None,
    tags: TagsOpt = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Save a new version of a finding's title, note or tags (exit 1 on a conflict, showing
    the version saved since; yours is not saved). An edit returns a finding to draft."""
    from docket.views.findings import FindingConflict, finding
    from docket.views.findings import edit as do_edit

    c = open_case(ctx, case)
    now = finding(c, finding_id)
    try:
        saved = do_edit(
            c,
            finding_id,
            base=now["version"] if base is None else base,
            title=now["title"] if title is None else title,
            note=(now.get("note") or "") if note is None else note,
            tags=now["tags"] if tags is None else _tags(tags),
        )
    except FindingConflict as exc:
        err.print("saved since your edit began:")
        err.print(_line(exc.current))
        if exc.current.get("note"):
            err.print(shown(exc.current["note"], keep_lines=True))
        raise
    _done(finding(c, saved["id"]), as_json, "saved")


@finding_app.command("comment")
def comment(
    ctx: typer.Context,
    finding_id: IdArg,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The comment.")],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Comment on a finding."""
    from docket.views.findings import comment as do_comment
    from docket.views.findings import finding

    c = open_case(ctx, case)
    do_comment(c, finding_id, text)
    _done(finding(c, finding_id), as_json, "commented")


@finding_app.command("review")
def review(
    ctx: typer.Context,
    finding_id: IdArg,
    state: Annotated[
        str,
        typer.Argument(
            metavar="STATE", help="draft, checked or published (one step forward, or back)."
        ),
    ],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a finding through review: draft → checked → published, or back."""
    from docket.views.findings import finding
    from docket.views.findings import review as do_review

    c = open_case(ctx, case)
    do_review(c, finding_id, state)
    _done(finding(c, finding_id), as_json, "reviewed")
