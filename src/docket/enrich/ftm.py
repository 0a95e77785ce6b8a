"""FollowTheMoney entities to records and mentions: what an entity file
(``docket.extract.documents.ftm``) says about each entity, in the shapes the rest of
Docket reads (a roster row or a payment list does the same through ``tables``).

Each entity becomes one record, cited by its line (``row``): ``person`` for a Person,
``org`` for an Organization (Company, PublicBody…), ``place`` for an Address,
``payment`` for a Payment (payer and beneficiary by name: their ids are looked up among
the file's entities), ``row`` for any other schema. Every property is kept under
``columns``; the schema and the entity's id under ``schema`` and ``ftm_id``. The names of
people, organisations and legal entities (``name``, ``alias``, ``previousName``… every
property of FtM's name type) and an address's ``full`` text and names become mentions of the right
kind, so resolution makes them entities; a LegalEntity is an organisation when a name of
it has an organisation's head word, else a person. E-mail addresses, phones and dates
are labelled lines of the text, found by the ``patterns`` and ``dates`` enrichers.
"""

from __future__ import annotations

from typing import Any

from followthemoney import model
from followthemoney.schema import Schema
from followthemoney.types import registry

from docket.enrich.ner.lexicon import ORG_CUES, ORG_HEADS_EN
from docket.model.ftm import PART, EntityText, read_entity
from docket.model.mentions import Mention
from docket.model.records import Record, RecordKind
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.names import lexicon as lx

TYPE = "ftm"  # the item type of an entity file (docket.extract.documents.ftm)
METHOD = "ftm"
_ORG_WORDS = frozenset(w.lower() for w in ORG_HEADS_EN) | ORG_CUES


def kind_of(schema: Schema | None, names: list[str]) -> str | None:
    """``person``, ``org`` or ``place`` for a schema whose names are an entity's, else None."""
    if schema is None:
        return None
    if schema.is_a("Person"):
        return "person"
    if schema.is_a("Organization"):
        return "org"
    if schema.is_a("Address"):
        return "place"
    if schema.is_a("LegalEntity"):
        words = {lx.norm(w).lower() for n in names for w in n.split()}
        return "org" if words & _ORG_WORDS else "person"
    return None


def _names(schema: Schema | None, entity: EntityText) -> list[tuple[str, str, int, int]]:
    """The entity's name values (an address's full text), with their offsets."""
    if schema is None:
        return []
    place = schema.is_a("Address")
    out = []
    for prop, value, start, end in entity.values:
        p = schema.get(prop)
        if p is None or "\n" in value:
            continue
        if p.type == registry.name or (place and prop == "full"):
            out.append((prop, value, start, end))
    return out


def _caption(schema: Schema | None, entity: EntityText) -> str | None:
    for prop in schema.caption if schema is not None else ["name"]:
        if found := entity.get(prop):
            return " ".join(found[0].split())
    return None


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: a record per entity of an entity file, and its names as mentions."""
    if result.type != TYPE:
        return
    read: list[tuple[int, int, EntityText]] = []
    captions: dict[str, str] = {}
    for n, seg in enumerate(result.segments):
        if seg.part != PART or (entity := read_entity(seg.text)) is None:
            continue
        read.append((n, seg.row or 0, entity))
        caption = _caption(model.get(entity.schema), entity)
        if entity.id and caption:
            captions[entity.id] = caption
    for n, row, entity in read:
        schema = model.get(entity.schema)
        names = _names(schema, entity)
        kind = kind_of(schema, [v for _, v, _, _ in names])
        for prop, value, start, end in names if kind else []:
            attrs = {"schema": entity.schema, "property": prop}
            if entity.id:
                attrs["ftm_id"] = entity.id
            result.mentions.append(Mention(kind or "person", value, " ".join(value.split()), n, start, end, METHOD, attrs))  # fmt: skip
        result.records.append(_record(schema, entity, row, kind, captions))


def _record(
    schema: Schema | None, entity: EntityText, row: int, kind: str | None, captions: dict[str, str]
) -> Record:
    columns: dict[str, str] = {}
    for prop, value, _, _ in entity.values:
        columns[prop] = f"{columns[prop]}; {value}" if prop in columns else value
    fields: dict[str, Any] = {"schema": entity.schema}
    if entity.id:
        fields["ftm_id"] = entity.id
    record_kind: RecordKind = "row"
    if kind in ("person", "org", "place"):
        record_kind = "person" if kind == "person" else "org" if kind == "org" else "place"
        if caption := _caption(schema, entity):
            fields["name"] = caption
    elif schema is not None and schema.is_a("Payment"):
        record_kind = "payment"

        def party(prop: str) -> str | None:
            ids = entity.get(prop)
            return captions.get(ids[0]) if ids else None  # an id alone is no name

        def first(*props: str) -> str | None:
            return next((v for p in props for v in entity.get(p)), None)

        one = {
            "payee": party("beneficiary"),
            "payer": party("payer"),
            "amount": first("amount"),
            "currency": first("currency"),
            "date": first("date", "startDate"),
            "note": first("purpose", "description"),
        }
        fields.update({k: v for k, v in one.items() if v})
    else:
        fields["caption"] = _caption(schema, entity)
    return Record(kind=record_kind, sheet=None, row=row, method="rule:ftm",
                  fields={**{k: v for k, v in fields.items() if v}, "columns": columns})  # fmt: skip
