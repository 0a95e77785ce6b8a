"""``docket authenticity`` and ``docket duplicates``: thin over docket.verify.authenticity."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from docket.cli.common import (
    CaseOpt,
    JsonOpt,
    open_case,
    out,
    print_json,
    shown,
    shown_path,
)
from docket.verify.neardup import THRESHOLD

ThresholdOpt = Annotated[
    float,
    typer.Option(
        "--threshold",
        min=0.3,
        max=1.0,
        help="Similarity (0.3-1) from which two texts are near-duplicates.",
    ),
]
_COLOUR = {"high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def register(app: typer.Typer) -> None:
    """Add the authenticity commands to ``app``."""
    app.command("authenticity")(authenticity)
    app.command("duplicates")(duplicates)


def authenticity(
    ctx: typer.Context,
    threshold: ThresholdOpt = THRESHOLD,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Authenticity signals per item, most serious first; stored in the case."""
    from docket.verify.authenticity import CAVEAT, analyse

    c = open_case(ctx, case)
    c.lock()  # another run writing the case: CaseError, exit 3
    report = analyse(c, threshold=threshold)
    data = report.to_json()
    if as_json:
        print_json(data)
        return
    out.print(f"[bold]{len(data['signals'])}[/] signals on {report.items_checked} items")
    for s in data["signals"]:
        colour = _COLOUR.get(s["severity"], "white")
        out.print(
            f"[{colour}]{s['severity']:<6}[/] {s['kind']:<28} {s['id']}  {shown_path(s['path'])}"
        )
        out.print(f"       {shown(s['detail'])}")
    _print_duplicates(data["exact_duplicates"], report.near_duplicates, brief=True)
    out.print(f"\n[dim]{CAVEAT}[/]")


def duplicates(
    ctx: typer.Context,
    threshold: ThresholdOpt = THRESHOLD,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Exact duplicates (same bytes) and near-duplicates (nearly the same text), with what differs."""
    from docket.verify.authenticity import duplicates as find

    c = open_case(ctx, case, readonly=True)
    found = find(c, threshold)
    exact = [[m["path"] for m in group] for group in found["exact_duplicates"]]
    if as_json:
        print_json({"exact_duplicates": exact, "near_duplicates": found["near_duplicates"]})
        return
    _print_duplicates(exact, found["near_duplicates"], brief=False)


def _print_duplicates(
    exact: list[list[list[str]]], near: list[dict[str, Any]], *, brief: bool
) -> None:
    out.print(f"\n[bold]{len(exact)}[/] groups of exact duplicates (same bytes)")
    for n, group in enumerate(exact, 1):
        out.print(f"  {n}.")
        for path in group:
            out.print(f"     {shown_path(path)}")
    out.print(f"\n[bold]{len(near)}[/] groups of near-duplicates (nearly the same text)")
    for n, near_group in enumerate(near, 1):
        out.print(f"  {n}. similarity {near_group['similarity']:.2f}")
        for item_id, path in zip(near_group["items"], near_group["paths"], strict=True):
            out.print(f"     {item_id}  {shown_path(path)}")
        for d in near_group["diff"]:
            changes = d["changes"]
            out.print(f"     {d['item']} vs {d['against']}: {len(changes)} change(s)")
            for ch in changes[: 5 if brief else 50]:
                old, new = shown(ch["old"] or "∅"), shown(ch["new"] or "∅")
                out.print(f"       …{shown(ch['context'])} [red]{old}[/] → [green]{new}[/]")
