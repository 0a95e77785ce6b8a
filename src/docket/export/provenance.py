"""The case's acquisition and custody history in CASE/UCO 1.x (JSON-LD), the ontology
forensic tools exchange provenance in; ``case_validate`` (the ``case-utils`` package)
checks it against the CASE 1.5 shapes.

The graph holds:

- one ``case-investigation:Investigation`` (the case: its id and name), whose objects are
  the acquisitions and their provenance records;
- per ingest run, a ``case-investigation:InvestigativeAction`` — performer (the run's
  user and host, a ``uco-identity:Identity``), instrument (Docket, a ``uco-tool:Tool`` of
  the run's version), start and end times, objects (the sources given to the run) and
  results (every item the run processed, and the run's provenance record);
- per run, a ``case-investigation:ProvenanceRecord`` whose objects are those items and
  whose description names the run's custody-log lines and the chain's head at export;
- the custody log itself, as a ``uco-observable:File`` with its SHA-256 at export;
- every item as a ``uco-observable:File`` with a ``FileFacet`` (name, path, size, times)
  and a ``ContentDataFacet`` (size, MIME type, SHA256/MD5/SHA1 ``uco-types:Hash``es);
- lineage: an ``uco-observable:ObservableRelationship`` ``Contained_Within`` from each
  archive member, attachment or embedded file to its container.

IRIs are ``urn:docket:<case id>:<kind>-<UUID>``, the UUID derived (version 5) from the
case id and Docket's own stable ids, so exporting twice names every node the same. The
output is written as it is read — items stream from the catalogue — so 100k items cost
no more memory than ten.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from docket.case import Case

CONTEXT = {
    "case-investigation": "https://ontology.caseontology.org/case/investigation/",
    "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
    "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
    "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
    "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
    "uco-tool": "https://ontology.unifiedcyberontology.org/uco/tool/",
    "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
    "uco-vocabulary": "https://ontology.unifiedcyberontology.org/uco/vocabulary/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
HASHES = (("sha256", "SHA256"), ("md5", "MD5"), ("sha1", "SHA1"))
# The file-system times an item's ``fs`` may hold, and their FileFacet properties.
TIMES = (
    ("modified", "modifiedTime"),
    ("accessed", "accessedTime"),
    ("changed", "metadataChangeTime"),
    ("created", "observableCreatedTime"),
)
_DATETIME = re.compile(r"^-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
_ITEM_SQL = (
    "SELECT id, parent_id, path, name, source, sha256, md5, sha1, size, mime, fs, run_id FROM items"
)


class _Ids:
    """Stable IRIs: ``kb:<kind>-<uuid5(case namespace, key)>``."""

    def __init__(self, case_id: str) -> None:
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:docket:{case_id}")

    def __call__(self, kind: str, key: str) -> str:
        return f"kb:{kind}-{uuid.uuid5(self.ns, f'{kind}:{key}')}"


def _dt(value: Any) -> dict[str, str] | None:
    if isinstance(value, str) and _DATETIME.match(value):
        return {"@type": "xsd:dateTime", "@value": value}
    return None


def _int(value: int) -> dict[str, str]:
    return {"@type": "xsd:integer", "@value": str(value)}


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _file_node(
    ids: _Ids,
    key: str,
    name: str,
    path: str | None,
    size: int | None = None,
    hashes: Iterable[tuple[str, str]] = (),
    mime: str | None = None,
    times: dict[str, Any] | None = None,
    kind: str = "uco-observable:File",
) -> dict[str, Any]:
    iri = ids("file", key)
    facet: dict[str, Any] = {
        "@id": ids("file-facet", key),
        "@type": "uco-observable:FileFacet",
        "uco-observable:fileName": name,
    }
    if path:
        facet["uco-observable:filePath"] = path
    if size is not None:
        facet["uco-observable:sizeInBytes"] = _int(size)
    for field, prop in TIMES:
        stamp = _dt((times or {}).get(field))
        if stamp:
            facet[f"uco-observable:{prop}"] = stamp
    facets = [facet]
    hash_nodes = [
        {
            "@id": ids(f"hash-{method.lower()}", key),
            "@type": "uco-types:Hash",
            "uco-types:hashMethod": method,  # xsd:string since UCO 1.4
            "uco-types:hashValue": {"@type": "xsd:hexBinary", "@value": value.upper()},
        }
        for method, value in hashes
    ]
    if hash_nodes:
        content: dict[str, Any] = {
            "@id": ids("content-data-facet", key),
            "@type": "uco-observable:ContentDataFacet",
            "uco-observable:hash": hash_nodes,
        }
        if size is not None:
            content["uco-observable:sizeInBytes"] = _int(size)
        if mime:
            content["uco-observable:mimeType"] = mime
        facets.append(content)
    return {"@id": iri, "@type": kind, "uco-core:hasFacet": facets}


class _Writer:
    """``{"@context": …, "@graph": [`` node by node ``]}``; a node's long lists (a run's
    items) are written from an iterator, never held whole."""

    def __init__(self, fh: TextIO, context: dict[str, str]) -> None:
        self.fh = fh
        self.count = 0
        fh.write('{\n"@context": ' + json.dumps(context, ensure_ascii=False) + ',\n"@graph": [\n')

    def node(self, node: dict[str, Any], lists: dict[str, Iterable[str]] | None = None) -> None:
        text = json.dumps(node, ensure_ascii=False)
        if self.count:
            self.fh.write(",\n")
        self.count += 1
        if not lists:
            self.fh.write(text)
            return
        self.fh.write(text[:-1])
        for prop, iris in lists.items():
            self.fh.write(f', "{prop}": [')
            for n, iri in enumerate(iris):
                self.fh.write((", " if n else "") + json.dumps(_ref(iri)))
            self.fh.write("]")
        self.fh.write("}")

    def close(self) -> None:
        self.fh.write("\n]\n}\n")


def _custody_spans(case: Case) -> dict[int, tuple[int, int]]:
    """First and last custody line of each run (its run-start … run-end)."""
    spans: dict[int, tuple[int, int]] = {}
    for event in case.custody.events():
        run, seq = event.get("run"), event.get("seq")
        if isinstance(run, int) and isinstance(seq, int):
            first, _ = spans.get(run, (seq, seq))
            spans[run] = (first, seq)
    return spans


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_provenance(case: Case, fh: TextIO) -> int:
    """Write the case's provenance graph to ``fh``; returns the number of items."""
    from docket import __version__

    case_id = case.case_id or "unidentified"  # an older case read-only, never written since
    ids = _Ids(case_id)
    db = case.catalogue.db
    context = {"kb": f"urn:docket:{case_id}:", **CONTEXT}
    out = _Writer(fh, context)
    runs = case.catalogue.runs()
    spans = _custody_spans(case)
    seq, head = case.custody.seq, case.custody.head

    def items_of(run_id: int) -> Iterator[str]:
        for (item_id,) in db.execute(
            "SELECT id FROM items WHERE run_id = ? ORDER BY rowid", (run_id,)
        ):
            yield ids("file", item_id)

    investigation = ids("investigation", case_id)
    objects = [ids("action", str(r["id"])) for r in runs]
    objects += [ids("provenance-record", str(r["id"])) for r in runs]
    log_path = case.root / "custody.log"
    if log_path.exists():
        objects.append(ids("file", "custody.log"))
    node: dict[str, Any] = {
        "@id": investigation,
        "@type": "case-investigation:Investigation",
        "uco-core:name": case.root.resolve().name,
        "uco-core:description": f"Docket case {case_id}",
        "case-investigation:investigationForm": "case",
    }
    if objects:
        node["uco-core:object"] = [_ref(o) for o in objects]
    out.node(node)

    tools: set[str] = set()
    people: set[str] = set()
    for run in runs:
        version = run["docket"] or __version__
        tool = ids("tool", f"docket {version}")
        if tool not in tools:
            tools.add(tool)
            out.node(
                {
                    "@id": tool,
                    "@type": "uco-tool:Tool",
                    "uco-core:name": "Docket",
                    "uco-tool:version": version,
                    "uco-tool:toolType": "acquisition and analysis",
                }
            )
        actor = json.loads(run["actor"] or "{}")
        who = f"{actor.get('user', '?')}@{actor.get('host', '?')}"
        person = ids("identity", who)
        if person not in people:
            people.add(person)
            out.node({"@id": person, "@type": "uco-identity:Identity", "uco-core:name": who})
        sources = json.loads(run["sources"] or "[]")
        for source in sources:
            out.node(
                _file_node(
                    ids, f"source:{source}", Path(source).name or source, source,
                    kind="uco-observable:ObservableObject",
                )
            )  # fmt: skip
        action = ids("action", str(run["id"]))
        record = ids("provenance-record", str(run["id"]))
        node = {
            "@id": action,
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": f"docket ingest (run {run['id']})",
            "uco-core:description": f"{run['status']}; command: {' '.join(json.loads(run['command']))}",
            "uco-action:performer": _ref(person),
            "uco-action:instrument": _ref(tool),
        }
        for prop, at in (("startTime", run["started"]), ("endTime", run["finished"])):
            stamp = _dt(at)
            if stamp:
                node[f"uco-action:{prop}"] = stamp
        if sources:
            node["uco-action:object"] = [_ref(ids("file", f"source:{s}")) for s in sources]
        out.node(node, {"uco-action:result": _chain([record], items_of(run["id"]))})
        first, last = spans.get(run["id"], (None, None))
        lines = f"custody.log lines {first}–{last}" if first else "no custody lines"
        out.node(
            {
                "@id": record,
                "@type": "case-investigation:ProvenanceRecord",
                "case-investigation:exhibitNumber": f"{case_id}/run-{run['id']}",
                "case-investigation:rootExhibitNumber": case_id,
                "uco-core:description": (
                    f"Items acquired or processed by run {run['id']}, each logged with its "
                    f"hashes in the hash-chained custody log ({lines}); chain head at export: "
                    f"line {seq}, sha256 {head}"
                ),
            },
            {"uco-core:object": items_of(run["id"])},
        )

    if log_path.exists():
        out.node(
            _file_node(
                ids, "custody.log", "custody.log", str(log_path.resolve()),
                size=log_path.stat().st_size, hashes=[("SHA256", _file_sha256(log_path))],
                mime="application/x-ndjson",
            )
        )  # fmt: skip

    n = 0
    for row in db.execute(_ITEM_SQL + " ORDER BY rowid"):
        item_id, parent, path_json, name, source, sha256, md5, sha1, size, mime, fs, _ = row
        path = json.loads(path_json)
        hashes = [
            (method, value)
            for (_, method), value in zip(HASHES, (sha256, md5, sha1), strict=True)
            if value
        ]
        out.node(
            _file_node(
                ids, item_id, _base(name), source if parent is None and source else path[-1],
                size=size, hashes=hashes, mime=mime, times=json.loads(fs) if fs else None,
            )
        )  # fmt: skip
        if parent:
            out.node(
                {
                    "@id": ids("relationship", item_id),
                    "@type": "uco-observable:ObservableRelationship",
                    "uco-core:source": _ref(ids("file", item_id)),
                    "uco-core:target": _ref(ids("file", parent)),
                    "uco-core:kindOfRelationship": "Contained_Within",  # xsd:string, UCO 1.x
                    "uco-core:isDirectional": True,
                }
            )
        n += 1
    out.close()
    return n


def _base(name: str) -> str:
    """A member's name without the folders inside its archive (they are in its path)."""
    return name.rstrip("/").rsplit("/", 1)[-1] or name


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest
