"""Publishing safely: ``docket redact …`` (marks), ``docket publish``, ``docket verify-bundle``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from docket.cli.common import CaseOpt, JsonOpt, err, open_case, out, print_json, shown
from docket.model.errors import BadArguments, CheckFailed

redact_app = typer.Typer(help="Redaction marks: propose, review, draw, keep people public.")


def register(app: typer.Typer) -> None:
    app.add_typer(redact_app, name="redact")
    app.command("publish")(publish)
    app.command("verify-bundle")(verify_bundle)


@redact_app.command("suggest")
def suggest(
    ctx: typer.Context,
    faces: Annotated[
        bool, typer.Option("--faces/--no-faces", help="Look for faces in images and scans.")
    ] = True,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Propose marks: every spelling of every person not marked public, in every item;
    phone numbers, e-mail addresses and IBANs; faces in images and scans."""
    from docket.publish.suggest import suggest as run

    c = open_case(ctx, case)
    counts = run(c, faces=faces)
    if as_json:
        print_json({"added": counts})
        return
    total = sum(counts.values())
    detail = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    out.print(f"{total} new proposal(s){': ' + detail if detail else ''}")


@redact_app.command("list")
def list_marks(
    ctx: typer.Context,
    item: Annotated[str | None, typer.Option("--item", help="Only this item's marks.")] = None,
    state: Annotated[
        str | None, typer.Option("--state", help="proposed, accepted or rejected.")
    ] = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Marks with their item, place, kind, reason and state."""
    from docket.publish.suggest import MARK_STATES

    if state is not None and state not in MARK_STATES:
        raise BadArguments(f"--state must be one of {', '.join(MARK_STATES)}")
    c = open_case(ctx, case, readonly=True)
    marks = c.catalogue.marks(item, states=(state,) if state else MARK_STATES)
    if as_json:
        print_json(marks)
        return
    for m in marks:
        where = (f"p.{m['page']} box {m['box']}" if m.get("box")
                 else f"segment {m['segment']} [{m['start']}:{m['end']}]")  # fmt: skip
        text = f"  {shown(m['text'])}" if m.get("text") else ""
        out.print(
            f"[cyan]{m['id']:>5}[/] {m['state']:<9} {m['kind']:<7} {m['item_id']}  {where}{text}"
        )
    out.print(f"[dim]{len(marks)} mark(s)[/]")


def _decide(ctx: typer.Context, ids: list[int], state: str, case: Any, item: str | None) -> None:
    from docket.publish.review import decide

    changed = decide(open_case(ctx, case), ids, state, item=item)
    out.print(f"{changed} mark(s) {state}")


MarkIds = Annotated[list[int] | None, typer.Argument(metavar="[MARK...]", help="Mark ids.")]
AllOf = Annotated[str | None, typer.Option("--item", help="Every proposal of this item.")]


@redact_app.command("accept")
def accept(
    ctx: typer.Context, ids: MarkIds = None, item: AllOf = None, case: CaseOpt = None
) -> None:
    """Accept marks: they are burned into what `docket publish` writes."""
    _decide(ctx, ids or [], "accepted", case, item)


@redact_app.command("reject")
def reject(
    ctx: typer.Context, ids: MarkIds = None, item: AllOf = None, case: CaseOpt = None
) -> None:
    """Reject marks: they stay recorded, decided, and are not proposed again."""
    _decide(ctx, ids or [], "rejected", case, item)


@redact_app.command("draw")
def draw(
    ctx: typer.Context,
    item: Annotated[str, typer.Argument(help="Item id.")],
    page: Annotated[int, typer.Option("--page", help="Page (1-based).")] = 1,
    box: Annotated[
        str, typer.Option("--box", help="x0,y0,x1,y1 as fractions of the page (0 to 1).")
    ] = "",
    text: Annotated[
        str, typer.Option("--text", help="Or: a string to mark wherever the item has it.")
    ] = "",
    reason: Annotated[str, typer.Option("--reason", help="Why it must go.")] = "analyst",
    case: CaseOpt = None,
) -> None:
    """Draw a mark by hand (accepted at once): a box on a page, or a string in the text."""
    from docket.publish.review import draw as do_draw

    c = open_case(ctx, case)
    shape = None
    if box:
        try:
            x0, y0, x1, y1 = (float(v) for v in box.split(","))
        except ValueError:
            raise BadArguments("--box takes four numbers: x0,y0,x1,y1") from None
        shape = (x0, y0, x1, y1)
    elif not text:
        raise BadArguments("give --box or --text")
    new = do_draw(c, item, page=page, box=shape, text=text, reason=reason)
    out.print(f"{len(new)} mark(s) drawn: {', '.join(map(str, new))}")


@redact_app.command("public")
def public(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(metavar="ID", help="Entity id (a prefix is enough).")],
    undo: Annotated[bool, typer.Option("--undo", help="Make the person private again.")] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why (an official, a leader…).")] = "",
    case: CaseOpt = None,
) -> None:
    """Mark a person public: none of their spellings is proposed for redaction."""
    from docket.publish.review import make_public

    c = open_case(ctx, case)
    matches = c.catalogue.find_entities(entity)
    if len(matches) != 1:
        raise BadArguments(f"{'no entity' if not matches else 'several entities'} match {entity!r}")
    e = make_public(c, matches[0], public=not undo, reason=reason)
    state = "private" if undo else "public"
    out.print(f"{shown(e['name'])} is {state}: {len(e['spellings'])} spelling(s)")


def publish(
    ctx: typer.Context,
    items: Annotated[list[str], typer.Argument(metavar="ITEM...", help="Item ids to publish.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The bundle folder (new).")],
    include_proposed: Annotated[
        bool,
        typer.Option("--include-proposed", help="Burn in proposals nobody reviewed, too."),
    ] = False,
    key: Annotated[
        Path | None,
        typer.Option(
            "--key", help="Seal key to sign the manifest (default: the seal key, if any)."
        ),
    ] = None,
    case: CaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Redacted PDFs of ITEMs (page images, marks burned in, no text layer, no metadata),
    each read back by Docket's extractors and OCR before the bundle is written."""
    from docket.publish.bundle import PublishRefused
    from docket.publish.bundle import publish as run
    from docket.verify.seal import SealError

    c = open_case(ctx, case)
    ids = []
    for prefix in items:
        found = c.catalogue.find_items(prefix)
        if len(found) != 1:
            raise BadArguments(f"{'no item' if not found else 'several items'} match {prefix!r}")
        ids.append(found[0])
    try:
        manifest = run(c, ids, output, include_proposed=include_proposed, key_path=key)
    except PublishRefused:
        raise
    except SealError as exc:
        raise CheckFailed(str(exc)) from exc
    if as_json:
        print_json(manifest)
        return
    for e in manifest["outputs"]:
        marks = ", ".join(f"{n} {k}" for k, n in sorted(e["marks"].items())) or "no marks"
        out.print(f"{e['item']} → {e['output']}  {e['pages']} page(s), {marks}")
        for missed in e["not_located"]:
            err.print(f"[yellow]not located[/] {e['item']} {shown(missed)}")
    out.print(f"[green]published[/] {len(manifest['outputs'])} item(s) to {shown(str(output))}")


def verify_bundle(
    folder: Annotated[Path, typer.Argument(help="A folder written by docket publish.")],
    as_json: JsonOpt = False,
) -> None:
    """Check a published bundle: each output's SHA-256 against the manifest, nothing added,
    and the manifest's signature. Exit 1 when anything is wrong."""
    from docket.publish.bundle import verify_bundle as run

    report = run(folder)
    if as_json:
        print_json(report)
    else:
        for p in report["problems"]:
            out.print(f"[red]✗[/] {shown(p)}")
        signed = f", signed by {report['signed_by']}" if report.get("signed_by") else ", unsigned"
        if not report["problems"]:
            out.print(f"[green]bundle intact[/]: {report['outputs']} output(s){signed}")
    if report["problems"]:
        raise CheckFailed(f"{len(report['problems'])} problem(s) in {folder}")
