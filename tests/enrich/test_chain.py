"""The enrich chain's contract: what each enricher requires is assigned before it runs."""

from __future__ import annotations

import pytest

from docket.enrich import ENRICHERS, Enricher, EnricherChainError, check_chain, selected
from docket.settings import DEFAULTS


def test_the_built_in_chain_is_consistent() -> None:
    check_chain(ENRICHERS)
    assert [e.name for e in selected(DEFAULTS)] == [e.name for e in ENRICHERS]


def test_an_enricher_that_needs_what_nothing_before_it_assigns_fails_at_startup() -> None:
    needs_lang = Enricher("by-language", "docket.enrich.dates", requires=("segments", "lang"))
    with pytest.raises(EnricherChainError, match=r"'by-language' requires lang"):
        selected(DEFAULTS, (needs_lang, *ENRICHERS))
    # After the language enricher, the same enricher is fine.
    assert selected(DEFAULTS, (*ENRICHERS, needs_lang))[-1] is needs_lang
    # Chosen alone through the setting, it has nothing before it that assigns lang.
    with pytest.raises(EnricherChainError):
        selected(DEFAULTS.replace(enrich="by-language"), (*ENRICHERS, needs_lang))


def test_an_unknown_name_in_the_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="no-such"):
        selected(DEFAULTS.replace(enrich="dates,no-such"))


def test_every_enricher_function_takes_a_result_and_settings() -> None:
    for enricher in ENRICHERS:
        assert callable(enricher.fn), enricher.name
