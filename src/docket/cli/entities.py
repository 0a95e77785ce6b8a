"""People, organisations and places: entities, person, merge, split, decisions, undo, xref."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from docket.case import Case
from docket.cli.common import CaseOpt, JsonOpt, open_case, out, print_json, shown, shown_path
from docket.model.errors import BadArguments


def register(app: typer.Typer) -> None:
    """Add the entity commands to ``app``."""
    for command in (entities, person, merge, split, decisions, undo, xref):
        app.command(command.__name__)(command)


def _one_entity(c: Case, prefix: str) -> str:
    matches = c.catalogue.find_entities(prefix)
    if len(matches) != 1:
        raise BadArguments(f"{'no entity' if not matches else 'several entities'} match {prefix!r}")
    return matches[0]


def entities(
    ctx: typer.Context,
    type_: Annotated[
        str | None, typer.Option("--type", help="person, org or place (default: all).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Most entities to print.")] = 0,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Entities, most-mentioned first, with their spellings."""
    from docket.resolve.detail import listing

    c = open_case(ctx, case, readonly=True)
    rows = listing(c.catalogue, type_)
    rows = rows[:limit] if limit > 0 else rows
    if as_json:
        print_json(rows)
        return
    for e in rows:
        others = [v for v in e["variants"] if v != e["name"]]
        also = f"  [dim]also: {' · '.join(map(shown, others))}[/]" if others else ""
        out.print(
            f"[cyan]{e['id']}[/]  {e['type']:<6} {e['mentions']:>4}× in {len(e['items'])} "
            f"items  [bold]{shown(e['name'])}[/]{also}"
        )


def person(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id (a prefix is enough).")],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One entity: every mention in context, its records, payments and correspondents."""
    from docket.views.person import person as read_person

    c = open_case(ctx, case, readonly=True)
    d = read_person(c.catalogue.db, _one_entity(c, entity_id))  # the desk's and the API's shape
    assert d is not None  # _one_entity found it
    if as_json:
        print_json(d)
        return
    out.print(f"[bold]{shown(d['name'])}[/]  [cyan]{d['id']}[/]  {d['type']}")
    out.print(f"spellings: {' · '.join(map(shown, d['variants']))}")
    for a in d["aliases"]:  # see docket aliases
        out.print(f"alias [cyan]{a['id']}[/] {a['status']} {a['score']:.2f}: "
                  f"{shown(a['name'])} = {shown(a['alias'])}")  # fmt: skip
    out.print(f"\n[bold]{len(d['mentions'])} mentions[/]")
    for m in d["mentions"]:
        where = shown_path(m["path"]) + shown(_locator(m))
        out.print(f"  [dim]{m['id']}[/]  {where}\n      {shown(m['snippet'])}")
    if d["payments"]:
        out.print(f"\n[bold]{len(d['payments'])} payments[/]")
        for p in d["payments"]:
            out.print(
                f"  {p['date'] or '?'}  {p['amount']} {p['currency'] or ''}  "
                f"{shown_path(p['path'])}{shown(_locator(p))}"
            )
    if d["correspondents"]:
        out.print(f"\n[bold]{len(d['correspondents'])} letters and e-mails[/]")
        for x in d["correspondents"]:
            out.print(
                f"  {x['date'] or '?'}  {x['direction']} {shown(x['name'])}  {shown(x['subject'] or '')}"
            )


def _locator(m: Mapping[str, Any]) -> str:
    bits = [f"p.{m['page']}" if m.get("page") else "", m.get("sheet") or "",
            f"row {m['row']}" if m.get("row") is not None else ""]  # fmt: skip
    bits = [b for b in bits if b]
    return f" ({', '.join(bits)})" if bits else ""


def merge(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(metavar="ID ID...", help="Entities to merge.")],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Merge entities: an analyst decision kept and re-applied on every run."""
    from docket.resolve.decisions import DecisionError
    from docket.views.decisions import decide

    c = open_case(ctx, case)
    try:
        merged = decide(c, "merge", [_one_entity(c, i) for i in ids])
    except DecisionError as exc:
        raise BadArguments(str(exc)) from exc
    _print_entity(merged, as_json, "merged")


def split(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="The entity to split.")],
    mention: Annotated[
        str, typer.Option("--mention", help="Mention id (or record:N, relation:N:source).")
    ],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Split one mention out of an entity: kept and re-applied on every run."""
    from docket.resolve.decisions import DecisionError
    from docket.views.decisions import decide

    c = open_case(ctx, case)
    try:
        alone = decide(c, "split", _one_entity(c, entity_id), mention)
    except DecisionError as exc:
        raise BadArguments(str(exc)) from exc
    _print_entity(alone, as_json, "split out as")


def decisions(
    ctx: typer.Context,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Analyst decisions (merges, splits, undos), oldest first, and whether each holds."""
    from docket.views.decisions import decisions as read_decisions

    c = open_case(ctx, case, readonly=True)
    rows = read_decisions(c)
    if as_json:
        print_json(rows)
        return
    for d in rows:
        held = "" if d["in_force"] else "  [dim](undone)[/]"
        out.print(f"[cyan]{d['id']}[/]  {d['time']}  {d['kind']:<5} {shown(d['summary'])}{held}")


def undo(
    ctx: typer.Context,
    decision_id: Annotated[
        int, typer.Argument(metavar="DECISION", help="Decision id (docket decisions).")
    ],
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Undo an analyst decision (a merge, a split or an undo): recorded, and resolution re-run."""
    from docket.resolve.decisions import DecisionError
    from docket.views.decisions import decide

    c = open_case(ctx, case)
    try:
        done = decide(c, "undo", decision_id)
    except DecisionError as exc:
        raise BadArguments(str(exc)) from exc
    if as_json:
        print_json(done)
    else:
        out.print(
            f"undid decision [cyan]{decision_id}[/] ({done['payload']['kind']}) as decision [cyan]{done['id']}[/]"
        )


def _print_entity(e: dict[str, Any], as_json: bool, verb: str) -> None:
    if as_json:
        print_json(e)
    else:
        out.print(
            f"{verb} [cyan]{e['id']}[/] [bold]{shown(e['name'])}[/]: {' · '.join(map(shown, e['variants']))}"
        )


def xref(
    ctx: typer.Context,
    watchlist: Annotated[
        Path, typer.Argument(help="CSV (name, aliases, notes) or FtM JSON lines.")
    ],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Most matches per entry.")] = 10,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who in the case matches a list of names and aliases, with a score and the reason."""
    from docket.resolve.watchlist import read_watchlist
    from docket.resolve.watchlist import xref as run_xref

    if not watchlist.is_file():
        raise BadArguments(f"no such file: {watchlist}")
    c = open_case(ctx, case, readonly=True)
    try:
        entries = read_watchlist(watchlist)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadArguments(f"cannot read {watchlist}: {exc}") from exc
    results = run_xref(entries, c.catalogue.entities(), limit=limit)
    if as_json:
        print_json(results)
        return
    for r in results:
        out.print(f"[bold]{shown(r['names'][0])}[/]  [dim]{shown(r['notes'])}[/]")
        if not r["matches"]:
            out.print("  no match")
        for m in r["matches"]:
            mark = "exact" if m["exact"] else "cross-script" if m["cross_script"] else "similar"
            out.print(
                f"  [cyan]{m['entity']}[/] {m['score']:.2f} {mark:<12} {shown(m['matched'])}  "
                f"[dim]{'; '.join(m['reason'])}[/]"
            )
