"""Enrich: pure functions from extracted text to annotations (language, dates, patterns,
named entities). Each enricher takes an ``ExtractResult`` and the settings and adds to
``result.lang`` / ``result.mentions``; none reads or writes the case.

The built-ins are listed here, in the order they run.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docket.extract.run import ExtractResult

# module path : function name
ENRICHERS: tuple[tuple[str, str], ...] = (
    ("docket.enrich.language", "enrich"),
    ("docket.enrich.dates", "enrich"),
    ("docket.enrich.patterns", "enrich"),
    ("docket.enrich.ner.arabic", "enrich"),
    ("docket.enrich.ner.english", "enrich"),
    ("docket.enrich.tables", "enrich"),
    ("docket.enrich.letters", "enrich"),
)


def run_enrichers(result: ExtractResult, settings: dict[str, Any]) -> None:
    """Run every enricher on a result, in order."""
    if not result.segments:
        return
    for module, name in ENRICHERS:
        getattr(import_module(module), name)(result, settings)
