"""Shared pieces of the command line: the app, consoles, options, opening a case, and
the one handler that turns Docket's errors into exit codes (``model.errors.EXIT_CODES``)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from docket.case import Case
from docket.model.errors import INTERRUPTED_BY_USER, DiskFull, DocketError


class DocketGroup(TyperGroup):
    """The ``docket`` group: every command (sub-apps' too) runs inside its ``invoke``, so a
    ``DocketError`` (or ``DiskFull``) from anywhere ends the command here, with its exit
    code and ``label: message`` and its fix on stderr — never a traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context: not public
        try:
            return super().invoke(ctx)
        except (DocketError, DiskFull) as exc:
            fail(exc)
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]")
            raise typer.Exit(INTERRUPTED_BY_USER) from None


def fail(exc: DocketError | DiskFull) -> NoReturn:
    """Print ``exc`` as ``label: message`` (escaped) and its fix; raise its exit code."""
    err.print(f"[red]{exc.label}:[/] {shown(str(exc))}")
    if exc.fix:
        err.print(shown(exc.fix))
    raise typer.Exit(exc.exit_code) from exc


app = typer.Typer(
    cls=DocketGroup,
    name="docket",
    help="Turn a seized or leaked document cache into an evidence-grade, searchable case.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)
DEFAULT_CASE = Path("docket-case")

CaseOpt = Annotated[
    Path | None,
    typer.Option(
        "--case",
        envvar="DOCKET_CASE",
        help="Case folder (default ./docket-case).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def case_path(ctx: typer.Context, case: Path | None) -> Path:
    if case is not None:
        return case
    return (ctx.obj or {}).get("case") or DEFAULT_CASE


def open_case(ctx: typer.Context, case: Path | None, **kw: Any) -> Case:
    """The case; a missing or broken one raises ``CaseError`` (exit 3)."""
    # the stale-index policy is Case.open's: it rebuilds, telling the user
    opened = Case.open(case_path(ctx, case), notify=err.print, **kw)
    if (opened.root / "catalogue.json").exists():  # a newsroom server case: audited
        from docket.newsroom.audit import record_command

        record_command(opened.catalogue, ctx)
    return opened


def shown(name: object, *, keep_lines: bool = False) -> str:
    """A name (or any text from the case) made safe to print as Rich markup.

    Names come from the evidence and may hold anything: ``[bold]`` would be read as markup
    (and ``[/red]`` crashes Rich), a newline forges a line, ESC sequences recolour or
    rewrite the terminal, bidi overrides reorder what is shown. Controls are shown as
    escapes (``\\n``, ``\\x1b``, ``\\u202e``), brackets escaped; ``keep_lines`` keeps
    newlines and tabs (document text)."""
    from rich.markup import escape

    return escape(uncontrolled(str(name), keep_lines=keep_lines))


def uncontrolled(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with control characters written as escapes (no markup escaping)."""
    if _CONTROLS.search(text):
        kept = "\n\t" if keep_lines else ""
        text = _CONTROLS.sub(lambda m: m[0] if m[0] in kept else _escape_char(m[0]), text)
    return text


def shown_path(path: list[str] | None) -> str:
    """An item's path (source path, then each container path), each part ``shown``."""
    return " / ".join(shown(p) for p in path or [])


# C0, DEL, C1, lone surrogates, and the bidi embeddings, overrides and isolates.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    n = ord(ch)
    if 0xDC80 <= n <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
