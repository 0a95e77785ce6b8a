"""Shared steps of the server tests: a server set up with the real CLI, small cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from docket.cli.main import app

ARABIC = "التقرير السنوي عن المدفوعات إلى أحمد الراوي في الرقة"
ENGLISH = "Payment to Ahmed al-Rawi of 1500 USD on 2019-03-04 for the Raqqa office"


def docket(*args: str, input: str | None = None, ok: bool = True) -> Result:
    result = CliRunner().invoke(app, list(args), input=input)
    if ok:
        assert result.exit_code == 0, (args, result.output, result.exception)
    return result


def as_json(result: Result) -> object:
    return json.loads(result.stdout)


def sources(tmp: Path, name: str, texts: dict[str, str]) -> Path:
    folder = tmp / name
    folder.mkdir()
    for file, text in texts.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def init_server(tmp: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``docket server init`` on a fresh database; the configuration under ``tmp``."""
    monkeypatch.setenv("DOCKET_SERVER_CONFIG", str(tmp / "server.json"))
    monkeypatch.setenv("DOCKET_USER", "amira")
    storage = tmp / "storage"
    docket("server", "init", "--database", pg_url, "--storage", str(storage))
    return storage
