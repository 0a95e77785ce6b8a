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

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from docket.model.mentions import Mention
from docket.model.records import Record, Relation
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
    # Item types it does not read: an entity file's names are known from its structure
    # (``ftm``), so the NER models would only add noise there.
    skips: tuple[str, ...] = ()

    @property
    def fn(self) -> EnrichFn:
        fn: EnrichFn = getattr(import_module(self.module), self.function)
        return fn


ENRICHERS: tuple[Enricher, ...] = (
    Enricher(
        "language",
        "docket.enrich.language",
        assigns=(
            "lang",
            "metadata.languages",
            "metadata.segment_languages",
            "metadata.segment_scripts",
            "metadata.page_languages",
        ),
    ),
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
        skips=("ftm",),
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
        skips=("ftm",),
    ),
    Enricher("tables", "docket.enrich.tables", assigns=("records",)),
    Enricher(
        "ftm",
        "docket.enrich.ftm",
        assigns=("records", "mentions.person", "mentions.org", "mentions.place"),
    ),
    Enricher(
        "letters",
        "docket.enrich.letters",
        requires=("segments", "metadata"),
        assigns=("relations",),
    ),
    Enricher(
        "aliases",
        "docket.enrich.aliases",
        requires=("segments", "metadata", "mentions.person", "mentions.phone"),
        assigns=("mentions.alias", "mentions.contact"),
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


# Run by the extract stage in the worker, with extraction: the index needs an item's
# language (the lang: filter, the per-language analysers) as soon as it is searchable.
# Every other enricher runs in the enrich stage (``docket.pipeline.enrichment``).
STAGE_ONE: frozenset[str] = frozenset({"language"})


@dataclass(slots=True)
class Produced:
    """What one enricher added to one item (the enrich stage stores it per enricher, so
    a re-run of one enricher replaces only its own output)."""

    mentions: list[Mention] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)  # keys it set
    lang: str | None = None


def run_enrichers(
    result: ExtractResult, settings: Settings, names: Collection[str] | None = None
) -> dict[str, Produced]:
    """Run the selected enrichers (only ``names`` among them when given; any of
    ``ENRICHERS`` may be named) on a result, in chain order; returns what each added.
    Nothing runs on an item without text."""
    chain = selected(settings) if names is None else [e for e in ENRICHERS if e.name in names]
    out: dict[str, Produced] = {}
    for enricher in chain:
        if not result.segments or result.type in enricher.skips:
            out[enricher.name] = Produced()
            continue
        counts = (len(result.mentions), len(result.records), len(result.relations),
                  len(result.warnings))  # fmt: skip
        meta = dict(result.metadata)
        enricher.fn(result, settings)
        out[enricher.name] = Produced(
            result.mentions[counts[0] :],
            result.records[counts[1] :],
            result.relations[counts[2] :],
            result.warnings[counts[3] :],
            {k: v for k, v in result.metadata.items() if k not in meta or meta[k] != v},
            result.lang,
        )
    return out
