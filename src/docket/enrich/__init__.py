"""Enrich: pure functions from extracted text to annotations (language, dates, patterns,
named entities). Each enricher takes an ``ExtractResult`` and the settings and adds to
``result.lang`` / ``result.mentions``; none reads or writes the case.

The built-ins are listed here, in the order they run.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docket.model.results import ExtractResult

# name : module path : function name
ENRICHERS: tuple[tuple[str, str, str], ...] = (
    ("language", "docket.enrich.language", "enrich"),
    ("dates", "docket.enrich.dates", "enrich"),
    ("patterns", "docket.enrich.patterns", "enrich"),
    ("ner-arabic", "docket.enrich.ner.arabic", "enrich"),
    ("ner-english", "docket.enrich.ner.english", "enrich"),
    ("tables", "docket.enrich.tables", "enrich"),
    ("letters", "docket.enrich.letters", "enrich"),
)


def selected(settings: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The enrichers the ``enrich`` setting turns on: ``all``, ``none`` or a list of names
    (English NER is the costliest; a first triage pass can leave it out)."""
    choice = str(settings.get("enrich", "all")).strip().lower()
    if choice == "all":
        return list(ENRICHERS)
    names = {n.strip() for n in choice.split(",") if n.strip() and n.strip() != "none"}
    unknown = names - {e[0] for e in ENRICHERS}
    if unknown:
        raise ValueError(f"unknown enricher(s) in the enrich setting: {', '.join(sorted(unknown))}")
    return [e for e in ENRICHERS if e[0] in names]


def run_enrichers(result: ExtractResult, settings: dict[str, Any]) -> None:
    """Run the selected enrichers on a result, in order."""
    if not result.segments:
        return
    for _, module, name in selected(settings):
        getattr(import_module(module), name)(result, settings)
