"""Enrich: pure functions from extracted text to annotations (language, dates, patterns,
named entities, table records, correspondence). Each enricher takes an ``ExtractResult``
and the settings and adds to it; none reads or writes the case.

The built-ins are listed here, in the order they run, each with what it ``requires`` and
``assigns`` (spaCy's idea): names of ``ExtractResult`` fields, optionally narrowed by a
dot (``mentions.date``, ``metadata.page_languages``). Extraction provides ``segments``,
``metadata`` and ``warnings``; anything else an enricher requires must be assigned by one
before it. :func:`check_chain` proves that before a run starts.

An enricher whose cost is mostly a model's per-call overhead (English NER) may also
name a batch form, ``many``: the same work over several items at once, with the same
result for each as the plain function gives it alone. :func:`run_enrichers_many` runs
the chain over several items, calling ``many`` once where there is one and the plain
function item by item elsewhere; ``load`` names what loads its model, which a worker
may call before its first item (:func:`load_models`).
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
EnrichManyFn = Callable[[Sequence[ExtractResult], Settings], None]

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
    # Its batch form (a function of a list of results and the settings), if it has one.
    many: str | None = None
    # What loads its model (a function of the settings), if loading it is worth doing
    # before the first item.
    load: str | None = None

    @property
    def fn(self) -> EnrichFn:
        fn: EnrichFn = getattr(import_module(self.module), self.function)
        return fn

    @property
    def many_fn(self) -> EnrichManyFn | None:
        if self.many is None:
            return None
        fn: EnrichManyFn = getattr(import_module(self.module), self.many)
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
        many="enrich_many",
        load="warm",
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


def _chain(settings: Settings, names: Collection[str] | None) -> list[Enricher]:
    return selected(settings) if names is None else [e for e in ENRICHERS if e.name in names]


def run_enrichers(
    result: ExtractResult, settings: Settings, names: Collection[str] | None = None
) -> dict[str, Produced]:
    """Run the selected enrichers (only ``names`` among them when given; any of
    ``ENRICHERS`` may be named) on a result, in chain order; returns what each added.
    Nothing runs on an item without text."""
    return run_enrichers_many([result], settings, [names])[0]


def run_enrichers_many(
    results: Sequence[ExtractResult],
    settings: Settings,
    names: Sequence[Collection[str] | None],
) -> list[dict[str, Produced]]:
    """:func:`run_enrichers` over several results at once (``names[i]`` for
    ``results[i]``), each enricher in chain order over every result that runs it: one
    call of its batch form (``Enricher.many``) where it has one, the plain function on
    each result elsewhere. What each result gets is what it gets alone."""
    chains = [{e.name for e in _chain(settings, n)} for n in names]
    wanted = set().union(*chains)
    out: list[dict[str, Produced]] = [{} for _ in results]
    for enricher in (e for e in ENRICHERS if e.name in wanted):
        runs = [i for i, chain in enumerate(chains) if enricher.name in chain]
        todo = [i for i in runs if results[i].segments and results[i].type not in enricher.skips]
        for i in runs:
            out[i][enricher.name] = Produced()
        before = {i: _snapshot(results[i]) for i in todo}
        many = enricher.many_fn if len(todo) > 1 else None
        if many is not None:
            many([results[i] for i in todo], settings)
        else:
            for i in todo:
                enricher.fn(results[i], settings)
        for i in todo:
            out[i][enricher.name] = _produced(results[i], *before[i])
    return out


def _snapshot(result: ExtractResult) -> tuple[tuple[int, int, int, int], dict[str, Any]]:
    counts = (len(result.mentions), len(result.records), len(result.relations),
              len(result.warnings))  # fmt: skip
    return counts, dict(result.metadata)


def _produced(
    result: ExtractResult, counts: tuple[int, int, int, int], meta: dict[str, Any]
) -> Produced:
    return Produced(
        result.mentions[counts[0] :],
        result.records[counts[1] :],
        result.relations[counts[2] :],
        result.warnings[counts[3] :],
        {k: v for k, v in result.metadata.items() if k not in meta or meta[k] != v},
        result.lang,
    )


def load_models(settings: Settings, names: Collection[str] | None = None) -> None:
    """Load the models of the enrichers (the selected ones, or ``names``) that name a
    ``load`` function: a worker calls this before its first item, while the coordinator
    is still setting up."""
    for enricher in _chain(settings, names):
        if enricher.load is not None:
            getattr(import_module(enricher.module), enricher.load)(settings)
