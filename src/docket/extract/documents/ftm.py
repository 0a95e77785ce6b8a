"""FollowTheMoney entity files: JSON Lines of ``{"id", "schema", "properties"}`` objects,
as Aleph, OpenSanctions and ``docket export ftm`` write them (ingest-file's
``application/json+ftm``).

Each entity becomes one segment (part ``entity``, row = its line) holding its schema, id
and property values as labelled lines (``docket.model.ftm``), so it is searchable like
any text; the ``ftm`` enricher turns the segments into records and name mentions. The
file is read a line at a time in bytes: a line over ``MAX_LINE`` is skipped unread, a
line that is not an entity object, not JSON, or not UTF-8 is counted, and each count is a
warning on the item (``partial``), never a crash.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError
from docket.model.ftm import PART, entity, entity_text

MAX_LINE = 16 * 1024 * 1024  # one entity, a document's body text included
SNIFF_LINES = 5
# A first line cut by the head of the file: both keys, the schema a name.
_CUT = (
    re.compile(r'"schema"\s*:\s*"[A-Z][A-Za-z]{1,63}"'),
    re.compile(r'"properties"\s*:\s*\{\s*("[A-Za-z]+"\s*:\s*\[|\})'),
)


def _sniff(probe: Probe) -> bool:
    """The first line is an entity, and more than half of the first few lines are."""
    if probe.text is None or not probe.stripped.startswith("{"):
        return False
    lines = probe.stripped.split("\n")
    whole = lines if probe.complete else lines[:-1]  # the last line of a cut head may be cut
    seen = good = 0
    for line in whole:
        if not line.strip():
            continue
        try:
            found = entity(json.loads(line))
        except (ValueError, RecursionError):
            found = None
        if found is None and not seen:
            return False
        seen, good = seen + 1, good + (found is not None)
        if seen >= SNIFF_LINES:
            break
    if seen:
        return good * 2 > seen
    first = lines[0]  # one line longer than the head: judged by its keys
    return all(rx.search(first) for rx in _CUT)


FTM = FileType(
    "ftm",
    "application/json+ftm",
    "data",
    ("ftm", "ijson", "jsonl", "json"),
    sniff=_sniff,
    order=41,  # before JSON (42): an entity file is JSON with a known shape
)


def _values(raw: Any) -> list[str]:
    out = []
    for v in raw if isinstance(raw, list) else [raw]:
        if isinstance(v, str | int | float) and not isinstance(v, bool):
            text = str(v).strip()
            if text:
                out.append(text)
    return out


class FtmExtractor(Extractor):
    name = "ftm"
    file_types = (FTM,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        counts = {"entities": 0, "too_long": 0, "not_json": 0, "not_entity": 0, "bad_utf8": 0}
        schemata: dict[str, int] = {}
        with open(path, "rb") as f:
            n = 0
            while raw := f.readline(MAX_LINE + 1):
                n += 1
                if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                    counts["too_long"] += 1
                    while (more := f.readline(1024 * 1024)) and not more.endswith(b"\n"):
                        pass
                    continue
                if not raw.strip():
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    counts["bad_utf8"] += 1
                    line = raw.decode("utf-8", errors="replace")
                try:
                    found = entity(json.loads(line.lstrip("\ufeff")))
                except (ValueError, RecursionError):
                    counts["not_json"] += 1
                    continue
                if found is None:
                    counts["not_entity"] += 1
                    continue
                schema = found["schema"]
                props = [(p, v) for p, vs in found["properties"].items() for v in _values(vs)]
                ident = found.get("id")
                ident = str(ident) if isinstance(ident, str | int) else None
                sink.text(entity_text(schema, ident, props), row=n, part=PART)
                counts["entities"] += 1
                schemata[schema] = schemata.get(schema, 0) + 1
        problems = [
            (Code.TOO_LARGE if key == "too_long" else Code.CORRUPT, f"{counts[key]} {what}")
            for key, what in (
                ("too_long", f"lines over {MAX_LINE} bytes were skipped"),
                ("not_json", "lines are not valid JSON"),
                ("not_entity", "lines are not entity objects (schema and properties)"),
                ("bad_utf8", "lines are not valid UTF-8 (the bad bytes were replaced)"),
            )
            if counts[key]
        ]
        if not counts["entities"]:
            why = "; ".join(m for _, m in problems)
            raise ExtractError(
                Code.CORRUPT, "no FollowTheMoney entity could be read" + (f": {why}" if why else "")
            )
        sink.meta("entities", counts["entities"])
        sink.meta("schemata", dict(sorted(schemata.items())))
        for code, message in problems:
            sink.warn(code, message)
