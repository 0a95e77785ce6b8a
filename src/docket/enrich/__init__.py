"""Enrich: pure functions from extracted text to annotations (language, dates, patterns,
named entities, table records, correspondence). Each enricher takes an ``ExtractResult``
and the settings and adds to it; none reads or writes the case.

The built-ins are listed here, in the order they run, each with what it ``requires`` and
``assigns`` (spaCy's idea): names of ``ExtractResult`` fields, optionally narrowed by a
dot (``mentions.date``, ``metadata.page_languages``). Extraction provides ``segments``,
``metadata`` and ``warnings``; anything else an enricher requires must be assigned by one
before it. :func:`check_chain` proves that before a run starts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module

from docket.model.results import ExtractResult
from docket.settings import Settings

EnrichFn = Callable[[ExtractResult, Settings], None]

# What extraction hands the enrich stage; every enricher may read these.
EXTRACTED: frozenset[str] = frozenset({"segments", "metadata", "warnings"})


@dataclass(frozen=True, slots=True)
class Enricher:
    """One enricher: its name (for the ``enrich`` setting), where its function lives
    (imported on first use: English NER loads spaCy), and its contract."""

    name: str
    module: str
    requires: tuple[str, ...] = ("segments",)
    assigns: tuple[str, ...] = ()
    function: str = "enrich"

    @property
    def fn(self) -> EnrichFn:
        fn: EnrichFn = getattr(import_module(self.module), self.function)
        return fn


ENRICHERS: tuple[Enricher, ...] = (
    Enricher("language", "docket.enrich.language", assigns=("lang", "metadata.page_languages")),
    Enricher("dates", "docket.enrich.dates", assigns=("mentions.date",)),
    Enricher(
        "patterns",
        "docket.enrich.patterns",
        assigns=(
            "mentions.money",
            "mentions.phone",
            "mentions.email",
            "mentions.iban",
            "mentions.url",
        ),
    ),
    Enricher(
        "ner-arabic",
        "docket.enrich.ner.arabic",
        assigns=("mentions.person", "mentions.org", "mentions.place"),
    ),
    Enricher(
        "ner-english",
        "docket.enrich.ner.english",
        assigns=(
            "mentions.person",
            "mentions.org",
            "mentions.place",
            "metadata.ner_cut",
            "warnings",
        ),
    ),
    Enricher("tables", "docket.enrich.tables", assigns=("records",)),
    Enricher(
        "letters",
        "docket.enrich.letters",
        requires=("segments", "metadata"),
        assigns=("relations",),
    ),
)


class EnricherChainError(ValueError):
    """An enricher requires what nothing before it assigns (or an unknown name)."""


def _satisfied(need: str, have: set[str]) -> bool:
    # "mentions" is met by any "mentions.<kind>"; "metadata.x" by "metadata" as a whole.
    head = need.split(".", 1)[0]
    return need in have or head in have or any(h.startswith(need + ".") for h in have)


def check_chain(chain: Sequence[Enricher]) -> None:
    """Raise :class:`EnricherChainError` unless every enricher's ``requires`` is met by
    extraction or by an enricher earlier in ``chain``."""
    have = set(EXTRACTED)
    for enricher in chain:
        missing = [r for r in enricher.requires if not _satisfied(r, have)]
        if missing:
            raise EnricherChainError(
                f"enricher {enricher.name!r} requires {', '.join(missing)}, which no "
                "enricher before it assigns (run one that does first, or leave it out)"
            )
        have.update(enricher.assigns)


def selected(settings: Settings, chain: Sequence[Enricher] = ENRICHERS) -> list[Enricher]:
    """The enrichers the ``enrich`` setting turns on: ``all``, ``none`` or a list of names
    (English NER is the costliest; a first triage pass can leave it out), in ``chain``'s
    order, checked with :func:`check_chain`."""
    choice = str(settings.get("enrich", "all")).strip().lower()
    if choice == "all":
        out = list(chain)
    else:
        names = {n.strip() for n in choice.split(",") if n.strip() and n.strip() != "none"}
        unknown = names - {e.name for e in chain}
        if unknown:
            raise EnricherChainError(
                f"unknown enricher(s) in the enrich setting: {', '.join(sorted(unknown))}"
            )
        out = [e for e in chain if e.name in names]
    check_chain(out)
    return out


def run_enrichers(result: ExtractResult, settings: Settings) -> None:
    """Run the selected enrichers on a result, in order."""
    if not result.segments:
        return
    for enricher in selected(settings):
        enricher.fn(result, settings)
