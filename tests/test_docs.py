"""Docs stay honest: every command, setting and extractor is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

from docket.cli.main import app
from docket.extract.registry import extractors
from docket.model.errors import EXIT_CODES
from docket.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _command_names() -> list[str]:
    """Every command, and every subcommand of a group (``export csv``), as typed."""
    names = []
    for name, command in sorted(typer.main.get_group(app).commands.items()):
        names.append(name)
        if isinstance(command, TyperGroup):
            names += [f"{name} {sub}" for sub in sorted(command.commands)]
    return names


COMMANDS = _command_names()


def test_the_subcommands_are_found() -> None:
    assert {"ingest", "verify", "export", "export csv", "export gexf", "seal"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented(name: str) -> None:
    text = (DOCS / "cli.md").read_text()
    assert f"`docket {name}" in text, f"docs/cli.md does not document `docket {name}`"


def _exit_code_rows() -> dict[int, str]:
    """The rows of docs/cli.md's exit-code table: code -> the rest of the row."""
    text = (DOCS / "cli.md").read_text()
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\d+)` \|(.*)$", section, re.M)
    return {int(code): rest for code, rest in rows}


@pytest.mark.parametrize("code", sorted(EXIT_CODES))
def test_every_exit_code_is_documented(code: int) -> None:
    rows = _exit_code_rows()
    assert code in rows, f"docs/cli.md's exit-code table has no row for {code}"
    assert EXIT_CODES[code] in rows[code], f"exit {code}'s row does not name {EXIT_CODES[code]}"


def test_the_exit_code_table_documents_no_code_docket_lacks() -> None:
    assert set(_exit_code_rows()) == set(EXIT_CODES)


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, f"docs/settings.md does not document {setting.name}"


def test_every_extractor_is_documented() -> None:
    text = (DOCS / "formats.md").read_text()
    for extractor in extractors():
        assert f"`{extractor.name}`" in text, f"docs/formats.md does not document {extractor.name}"


def test_readme_opens_with_the_two_commands() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    block = readme.split("```")[1]
    assert "make demo" in block and "make test" in block
    assert "make test" in (DOCS.parent / ".ci" / "run").read_text()
