"""``docket``: thin commands over the library API. Every listing has ``--json``.

The command modules are listed here, in one place; each has a ``register(app)``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Annotated

import typer

from docket import __version__
from docket.cli.common import CaseOpt, app, out

COMMAND_MODULES: tuple[str, ...] = (
    "docket.cli.core",
    "docket.cli.enrich",
    "docket.cli.serve",
    "docket.cli.export",
    "docket.cli.entities",
    "docket.cli.aliases",
    "docket.cli.authenticity",
    "docket.cli.doctor",
    "docket.cli.seal",
    "docket.cli.maintenance",
    "docket.cli.publish",
    "docket.cli.server",
    "docket.cli.findings",
)


def _print_version(value: bool) -> None:
    if value:
        out.print(f"docket {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    case: CaseOpt = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit.",
            callback=_print_version,
            is_eager=True,  # before click asks for a command
        ),
    ] = False,
) -> None:
    ctx.obj = {"case": case}


for _module in COMMAND_MODULES:
    import_module(_module).register(app)


def main() -> None:
    app()
