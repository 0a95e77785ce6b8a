"""The storage and read-model layers (DESIGN.md, Layout): ``store`` is the system of record
and imports neither the case nor anything that reads it; ``views`` is what ``serve``,
``cli`` and ``export`` read through, so it imports none of them, and ``export`` does not
reach into the desk (``serve``)."""

from __future__ import annotations

import pytest

from tests.text.test_dependencies import _docket_imports

FORBIDDEN = {
    "store": ("docket.case", "docket.views", "docket.serve", "docket.cli", "docket.pipeline"),
    "views": ("docket.serve", "docket.cli", "docket.export", "docket.pipeline"),
    "export": ("docket.serve", "docket.cli"),
}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports(package: str) -> None:
    bad = {
        (f, m)
        for f, m in _docket_imports(package)
        if any(m == x or m.startswith(x + ".") for x in FORBIDDEN[package])
    }
    assert not bad


def test_case_does_not_import_what_reads_it() -> None:
    bad = {
        m
        for f, m in _docket_imports(".")
        if f == "case.py" and m.startswith(("docket.views", "docket.serve", "docket.cli"))
    }
    assert not bad
