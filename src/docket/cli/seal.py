"""``docket seal``: a signed anchor of the custody chain, to keep outside the case."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from docket.case import Case
from docket.cli.common import CaseOpt, err, open_case
from docket.model.errors import BadArguments, CheckFailed


def register(app: typer.Typer) -> None:
    app.command("seal")(seal)


def seal(
    ctx: typer.Context,
    key: Annotated[
        Path | None,
        typer.Option(
            "--key",
            help="Ed25519 signing key (PEM); made on first use. Default: "
            "$XDG_CONFIG_HOME/docket/seal-key.pem. Never inside the case.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
    case: CaseOpt = None,
) -> None:
    """Seal the custody chain's head: a small signed file to keep elsewhere, which
    `docket verify --seal FILE` later checks the case against."""
    from docket.newsroom import audit
    from docket.verify.seal import SealError, dump_seal, load_key, make_seal

    c = open_case(ctx, case)
    try:
        c.lock()  # another run writing the case: CaseError, exit 3
        try:
            signing_key, key_path, created = load_key(key, c.root)
            if created:
                err.print(f"new seal key written to {key_path} (keep it; never inside a case)")
            audit.anchor(c)  # the audit trail's head, when it has one, under the seal
            sealed = make_seal(c, signing_key)
        except SealError as exc:  # no seal made: the key or the case cannot be sealed
            raise CheckFailed(str(exc)) from exc
        text = dump_seal(sealed)
        if output is not None:
            output.write_text(text, encoding="utf-8")
        # The sealing itself is part of the record; the seal covers the line before it.
        c.log(
            "sealed",
            head=sealed["head"],
            key_fingerprint=sealed["key_fingerprint"],
            file=str(output.resolve()) if output is not None else None,
        )
    finally:
        c.unlock()
        c.close()
    if output is None:
        sys.stdout.write(text)
    head = sealed["head"]
    err.print(
        f"sealed line {head['seq']} ({head['hash']}) of case {sealed['case_id']}, "
        f"{sealed['items']} items; key {sealed['key_fingerprint']}; {sealed['timestamp_note']}"
        + (f"; written to {output}" if output is not None else "")
    )


def verify_seal(c: Case, report: Any, path: Path) -> dict[str, Any]:
    """The ``--seal FILE`` part of ``docket verify``; an unreadable seal exits 2."""
    from docket.verify.seal import SealError, add_to_report

    try:
        return add_to_report(c, report, path)
    except SealError as exc:
        raise BadArguments(str(exc)) from exc


def seal_line(sealed: dict[str, Any]) -> str:
    """One line for verify's text output: what was sealed, by which key, and the verdict."""
    head = sealed["head"]
    verdict = (
        "[green]the case extends it[/]" if sealed["ok"] else "[red]the case does not extend it[/]"
    )
    stamp = sealed.get("timestamp")
    return (
        f"seal: line {head['seq']} ({head['hash'][:16]}…) sealed {sealed['time']}, "
        f"key {sealed['key_fingerprint']}, "
        + (f"RFC 3161 token from {stamp['authority']}" if stamp else "no timestamp token")
        + f"; the log now has {sealed['current_seq']} lines: {verdict}"
    )
