"""Docs stay honest: every command, setting and extractor is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from docket.cli.main import app
from docket.extract.registry import extractors
from docket.settings import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text()
    group = typer.main.get_group(app)
    for name in group.commands:
        assert f"`docket {name}" in text, f"docs/cli.md does not document `docket {name}`"


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
