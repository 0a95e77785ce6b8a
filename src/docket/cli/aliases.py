"""Aliases: ``docket aliases`` lists the links between a name and another name of the
same person, with their evidence; ``docket alias confirm|reject LINK`` records the
analyst's verdict, kept and re-applied on every run."""

from __future__ import annotations

from typing import Annotated

import typer

from docket.case import Case
from docket.cli.common import CaseOpt, JsonOpt, open_case, out, print_json, shown, shown_path
from docket.model.errors import BadArguments

alias_app = typer.Typer(help="Confirm or reject an alias link (see docket aliases).")


def register(app: typer.Typer) -> None:
    """Add ``aliases`` and the ``alias`` group to ``app``."""
    app.command("aliases")(aliases)
    app.add_typer(alias_app, name="alias")


def aliases(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option("--status", help="possible, confirmed or rejected (default: all)."),
    ] = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Alias links (a name and a kunya or nom de guerre of the same person), strongest
    first, each with its score, status and the evidence cited."""
    from docket.views.aliases import STATUSES, links

    if status is not None and status not in STATUSES:
        raise BadArguments(f"--status is one of {', '.join(STATUSES)}, not {status!r}")
    c = open_case(ctx, case, readonly=True)
    found = links(c.catalogue.db, status)
    if as_json:
        print_json(found)
        return
    if not found:
        out.print("no alias links")
    for link in found:
        colour = {"confirmed": "green", "rejected": "red"}.get(link["status"], "yellow")
        by = " by the analyst" if link["decided"] == "analyst" else ""
        out.print(
            f"[cyan]{link['id']}[/]  {link['score']:.2f}  [{colour}]{link['status']}{by}[/]  "
            f"[bold]{shown(link['name'])}[/] = {shown(link['alias'])}"
            + (f"  [dim]{shown(link['note'])}[/]" if link["note"] else "")
        )
        for e in link["evidence"]:
            where = _where(e)
            out.print(f"    {e['kind']:<9} {shown_path(e['path'])}{where}  {shown(e['quote'])}")


def _where(e: dict[str, object]) -> str:
    if e.get("row") is not None:
        return f" (row {e['row']}{', ' + str(e['column']) if e.get('column') else ''})"
    if e.get("segment") is not None:
        return f" (segment {e['segment']}, {e['start']}–{e['end']})"
    return ""


def _decide(ctx: typer.Context, link: str, verdict: str, case: CaseOpt, as_json: bool) -> None:
    from docket.resolve.aliases import decide
    from docket.resolve.decisions import DecisionError
    from docket.views.aliases import find, links

    c: Case = open_case(ctx, case)
    matches = find(c.catalogue.db, link)
    if len(matches) != 1:
        raise BadArguments(f"{'no alias link' if not matches else 'several links'} match {link!r}")
    try:
        decision = decide(c.catalogue, matches[0], verdict)
    except DecisionError as exc:
        raise BadArguments(str(exc)) from exc
    found = links(c.catalogue.db, ids=matches)
    row = found[0] if found else None
    c.log("alias-decision", link=matches[0], verdict=verdict, decision=decision,
          name=row["name"] if row else None, alias=row["alias"] if row else None)  # fmt: skip
    if as_json:
        print_json(row)
        return
    if row is not None:
        out.print(
            f"{verdict}ed [cyan]{row['id']}[/]: [bold]{shown(row['name'])}[/] = "
            f"{shown(row['alias'])} ({row['status']})"
        )


@alias_app.command("confirm")
def confirm(
    ctx: typer.Context,
    link: Annotated[str, typer.Argument(metavar="LINK", help="Link id (a prefix is enough).")],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Confirm an alias link: its two names become one person, on every run."""
    _decide(ctx, link, "confirm", case, as_json)


@alias_app.command("reject")
def reject(
    ctx: typer.Context,
    link: Annotated[str, typer.Argument(metavar="LINK", help="Link id (a prefix is enough).")],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reject an alias link: its two names stay apart, whatever the evidence."""
    _decide(ctx, link, "reject", case, as_json)
