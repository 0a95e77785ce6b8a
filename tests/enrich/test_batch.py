"""Enrichers run over several items at once (``run_enrichers_many``: English NER reads
the windows of all of them in one call of its model) give each item exactly what it
gets alone: the same mentions, in the same order, with the same attributes, and the
same metadata and warnings."""

from __future__ import annotations

from dataclasses import astuple
from typing import Any

from docket.enrich import Produced, run_enrichers, run_enrichers_many
from docket.enrich.ner import english
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS

TEXTS = [
    [
        Segment(
            "From: Abu Ammar al-Nuaimi\nTo: Finance Bureau, Raqqa office\n"
            "Please transfer 1,500 USD to brother Hassan Ibrahim al-Jubouri on 3 March 2019 "
            "for the salaries of the Deir ez-Zor office staff.\n"
            "Samir Abdullah met officials of the Ministry of Finance in Baghdad.",
            page=1,
        )
    ],
    [
        Segment("تم تحويل مبلغ 500 دولار إلى الأخ أبو بكر البغدادي في الموصل.", page=1),
        Segment("Received by Ahmed Hassan in Mosul, call +964 770 123 4567.", page=2),
    ],
    [Segment("Name | Amount | City", row=0), Segment("Omar Farouk | 200 | Kirkuk", row=1)],
    [Segment("meeting notes, nothing else here.", page=1)],
    [
        Segment(
            "Dear John Smith,\nThe shipment left Istanbul for Damascus with Mr. Yusuf Karim, "
            "also known as Abu Yusuf. Khalid bin Walid al-Obaidi signed for it.\n"
            "محمد عبد الله الجبوري استلم المبلغ في بغداد",
            page=1,
        )
    ],
    [],  # no text: nothing runs
]


def _result(segments: list[Segment]) -> ExtractResult:
    return ExtractResult("text", "text/plain", False, "ok", segments=list(segments))


def _plain(produced: dict[str, Produced]) -> dict[str, Any]:
    return {
        name: (
            [(astuple(m)) for m in p.mentions],
            p.records,
            p.relations,
            p.warnings,
            p.metadata,
            p.lang,
        )
        for name, p in produced.items()
    }


def test_batched_items_get_what_they_get_alone() -> None:
    names = [None, None, ("dates", "ner-english"), None, None, None]
    english._seen.clear()  # the model reads every window in both runs, not the cache
    alone = [run_enrichers(_result(t), DEFAULTS, n) for t, n in zip(TEXTS, names, strict=True)]
    english._seen.clear()
    together = run_enrichers_many([_result(t) for t in TEXTS], DEFAULTS, names)
    assert [_plain(p) for p in together] == [_plain(p) for p in alone]
    people = {m.value for m in together[0]["ner-english"].mentions if m.kind == "person"}
    assert {"Abu Ammar al-Nuaimi", "Samir Abdullah"} <= people
    assert any(m.kind == "person" for m in together[1]["ner-arabic"].mentions)
    assert list(together[2]) == ["dates", "ner-english"]  # only the names asked for
    assert all(p == Produced() for p in together[5].values())


def test_the_model_is_called_once_for_the_batch(monkeypatch: Any) -> None:
    calls: list[int] = []
    read = english._read

    def counted(nlp: Any, model: str, texts: list[str]) -> Any:
        calls.append(len(texts))
        return read(nlp, model, texts)

    monkeypatch.setattr(english, "_read", counted)
    results = [_result(t) for t in TEXTS]
    run_enrichers_many(results, DEFAULTS, [("ner-english",)] * len(results))
    assert len(calls) == 1 and calls[0] > 3
