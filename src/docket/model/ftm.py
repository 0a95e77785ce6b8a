"""FollowTheMoney, where Docket meets it: which FtM schema each kind of Docket entity is
(the export writes them; reading an entity file makes them again), and the text an FtM
entity becomes when an entity file is read (one segment an entity, written by
``docket.extract.documents.ftm`` and read back by ``docket.enrich.ftm``), and what counts
as an entity object (``entity``).

The text is labelled lines, searchable and readable as it is::

    schema: Person
    id: ofac-1
    name: John Doe
    email: john@example.org

A value that holds line breaks goes on over lines indented by two spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Docket's entity types as FtM schemata (``docket.export.ftm``); any other is LegalEntity.
KIND_SCHEMA = {"person": "Person", "org": "Organization", "place": "Address"}
FALLBACK_SCHEMA = "LegalEntity"
# The segment part an entity's text is written under.
PART = "entity"
_INDENT = "  "
_SCHEMA = re.compile(r"[A-Z][A-Za-z]{1,63}")


def entity(value: Any) -> dict[str, Any] | None:
    """``value`` when it is an FtM entity: an object whose ``schema`` is a schema name and
    whose ``properties`` map names to lists (FtM always writes lists)."""
    if not isinstance(value, dict):
        return None
    schema, props = value.get("schema"), value.get("properties")
    if not isinstance(schema, str) or not _SCHEMA.fullmatch(schema) or not isinstance(props, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, list) for k, v in props.items()):
        return None
    return value


def entity_text(schema: str, ident: str | None, props: Iterable[tuple[str, str]]) -> str:
    """An entity as labelled lines: ``schema``, ``id``, then each property value."""
    lines = [f"schema: {schema}"]
    if ident:
        lines.append(f"id: {' '.join(ident.split())}")
    for prop, value in props:
        lines.append(f"{prop}: " + f"\n{_INDENT}".join(value.splitlines()))
    return "\n".join(lines)


@dataclass(slots=True)
class EntityText:
    """An entity read back from its text: each value with its offsets in the text (the
    first line only, for a value over several lines: a name is never split)."""

    schema: str
    id: str | None
    values: list[tuple[str, str, int, int]] = field(default_factory=list)  # prop, value, start, end

    def get(self, prop: str) -> list[str]:
        return [v for p, v, _, _ in self.values if p == prop]


def read_entity(text: str) -> EntityText | None:
    """The entity ``entity_text`` wrote; None when ``text`` is not one."""
    out: EntityText | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.startswith(_INDENT) and out is not None and out.values:
            p, v, a, b = out.values[-1]
            out.values[-1] = (p, v + "\n" + line[len(_INDENT) :], a, b)
            continue
        label, sep, value = line.partition(": ")
        if not sep:
            continue
        if out is None:
            if label != "schema":
                return None
            out = EntityText(value.strip(), None)
        elif label == "id" and out.id is None and not out.values:
            out.id = value.strip()
        else:
            at = start + len(label) + 2
            out.values.append((label, value, at, at + len(value)))
    return out
