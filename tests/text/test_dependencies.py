"""The dependency rule for ``text`` (DESIGN.md, Layout): it imports nothing of Docket's but
``model``; ``model`` imports nothing of Docket's at all; and the stages that read text
(``store``, ``views``, ``verify``, ``resolve``) take it from ``text``, not from ``enrich``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import docket

SRC = Path(docket.__file__).parent


def _docket_imports(package: str) -> set[tuple[str, str]]:
    """``(module file, imported docket module)`` for every import in ``package``."""
    out: set[tuple[str, str]] = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                if name == "docket" or name.startswith("docket."):
                    out.add((str(path.relative_to(SRC)), name))
    return out


@pytest.mark.parametrize(
    ("package", "allowed"), [("text", ("text", "model")), ("model", ("model",))]
)
def test_text_and_model_import_only_each_other(package: str, allowed: tuple[str, ...]) -> None:
    bad = {
        (f, m)
        for f, m in _docket_imports(package)
        if m.split(".")[1:2] and m.split(".")[1] not in allowed
    }
    assert not bad


@pytest.mark.parametrize("package", ["store", "views", "verify", "resolve"])
def test_readers_of_text_do_not_reach_into_enrich(package: str) -> None:
    assert not {(f, m) for f, m in _docket_imports(package) if m.startswith("docket.enrich")}
