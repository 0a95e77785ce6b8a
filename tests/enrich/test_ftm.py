"""FollowTheMoney entities to records and mentions (``enrich.ftm``), through the real
extractor: people, organisations (Company is one), a LegalEntity by its name, an
address, a payment between two of them by name, any other schema a plain row."""

from __future__ import annotations

import json

from docket.enrich import ftm, run_enrichers
from docket.settings import DEFAULTS

ENTITIES = [
    {"id": "p1", "schema": "Person",
     "properties": {"name": ["أبو عمار النعيمي"], "alias": ["Abu Ammar al-Nuaimi"],
                    "email": ["abu.ammar@example.org"], "birthDate": ["1975-03-02"]}},
    {"id": "c1", "schema": "Company", "properties": {"name": ["Northern Trading"]}},
    {"id": "l1", "schema": "LegalEntity", "properties": {"name": ["Raqqa Finance Bureau"]}},
    {"id": "l2", "schema": "LegalEntity", "properties": {"name": ["Hassan Ibrahim"]}},
    {"id": "a1", "schema": "Address", "properties": {"full": ["Al-Rashid Street, Mosul"]}},
    {"id": "pay1", "schema": "Payment",
     "properties": {"payer": ["c1"], "beneficiary": ["p1"], "amount": ["1500"],
                    "currency": ["USD"], "date": ["2015-06-01"], "purpose": ["salary"]}},
    {"id": "v1", "schema": "Vessel", "properties": {"name": ["Sea Star"], "flag": ["pa"]}},
]  # fmt: skip


def enriched(extract):  # type: ignore[no-untyped-def]
    data = "\n".join(json.dumps(e, ensure_ascii=False) for e in ENTITIES).encode()
    result = extract(data, "entities.ftm")
    assert result.type == "ftm"
    ftm.enrich(result, DEFAULTS)
    return result


def test_names_become_mentions_of_their_kind(extract) -> None:
    result = enriched(extract)
    got = {(m.kind, m.text, m.attrs["property"]) for m in result.mentions}
    assert got == {
        ("person", "أبو عمار النعيمي", "name"),
        ("person", "Abu Ammar al-Nuaimi", "alias"),
        ("org", "Northern Trading", "name"),
        ("org", "Raqqa Finance Bureau", "name"),
        ("person", "Hassan Ibrahim", "name"),
        ("place", "Al-Rashid Street, Mosul", "full"),
    }
    for m in result.mentions:  # cited by segment and offsets, like any mention
        assert result.segments[m.segment].text[m.start : m.end] == m.text
        assert m.method == "ftm"


def test_one_record_an_entity_with_its_properties(extract) -> None:
    records = {r["fields"]["ftm_id"]: r for r in enriched(extract).records}
    assert [records[k]["kind"] for k in ("p1", "c1", "l1", "l2", "a1", "pay1", "v1")] == [
        "person", "org", "org", "person", "place", "payment", "row"
    ]  # fmt: skip
    person = records["p1"]
    assert person["row"] == 1 and person["method"] == "rule:ftm"
    assert person["fields"]["name"] == "أبو عمار النعيمي"
    assert person["fields"]["columns"]["email"] == "abu.ammar@example.org"
    pay = records["pay1"]["fields"]
    assert {k: pay[k] for k in ("payee", "payer", "amount", "currency", "date", "note")} == {
        "payee": "أبو عمار النعيمي", "payer": "Northern Trading", "amount": "1500",
        "currency": "USD", "date": "2015-06-01", "note": "salary",
    }  # fmt: skip
    assert (
        records["v1"]["fields"]["caption"] == "Sea Star" and "name" not in records["v1"]["fields"]
    )


def test_the_chain_leaves_names_to_the_entities_and_finds_addresses(extract) -> None:
    data = "\n".join(json.dumps(e, ensure_ascii=False) for e in ENTITIES).encode()
    result = extract(data, "entities.ftm")
    produced = run_enrichers(result, DEFAULTS)
    assert not produced["ner-english"].mentions and not produced["ner-arabic"].mentions
    assert {m.value for m in produced["patterns"].mentions if m.kind == "email"} == {
        "abu.ammar@example.org"
    }
    assert "2015-06-01" in {m.value for m in produced["dates"].mentions}


def test_other_items_are_left_alone(extract) -> None:
    result = extract(b"name: John Doe\nschema: Person\n", "note.txt")
    ftm.enrich(result, DEFAULTS)
    assert not result.mentions and not result.records
