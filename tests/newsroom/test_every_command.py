"""Every command that reads or changes a case works on a server case as on a folder: the
same answers from PostgreSQL as from SQLite, on the same Arabic and English documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.newsroom.helpers import as_json, docket, init_server, sources

DOCS = {
    "letter.txt": "From: Abu Omar al-Shami\nTo: Ahmed al-Rawi\nDate: 2019-03-04\n\n"
    "Transfer of 1500 USD to Ahmed al-Rawi for the Raqqa office.",
    "ar.txt": "من أبو عمر الشامي إلى أحمد الراوي بتاريخ ١٤٤٠/٦/٢٧ هـ\nتحويل مبلغ ١٥٠٠ دولار",
    "roster.csv": "name,amount,date\nAhmed al-Rawi,1500,2019-03-04\nAbu Omar al-Shami,900,2019-04-01\n",
    "copy.txt": "Transfer of 1500 USD to Ahmed al-Rawi for the Raqqa office.",
}


@pytest.fixture
def cases(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    init_server(tmp_path, pg_url, monkeypatch)
    docket("case", "create", "c")
    src = sources(tmp_path, "src", DOCS)
    local = str(tmp_path / "local")
    docket("--case", "server:c", "ingest", str(src))
    docket("--case", local, "ingest", str(src))
    return local, "server:c"


_VOLATILE = {"runs", "started", "finished", "time", "score"}


def _stable(value: object) -> object:
    """Without what differs between two ingests: times, scores in their last digits, and
    the order of ids and row ids (items are numbered in the order the workers finished
    them)."""
    if isinstance(value, dict):  # row ids (ints) count in commit order; item ids are stable
        return {
            k: _stable(v)
            for k, v in value.items()
            if k not in _VOLATILE and not (k == "id" and isinstance(v, int))
        }
    if isinstance(value, list):
        out = [_stable(v) for v in value]
        return sorted(out, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _same(local: str, server: str, *args: str) -> object:
    a = _stable(as_json(docket("--case", local, *args)))
    b = _stable(as_json(docket("--case", server, *args)))
    assert a == b, args
    return a


def test_every_reading_command_answers_alike(cases: tuple[str, str], tmp_path: Path) -> None:
    local, server = cases
    status = _same(local, server, "status", "--json")
    assert status["items"] == 4  # type: ignore[index]
    entities = _same(local, server, "entities", "--json")
    assert entities
    _same(local, server, "person", entities[0]["id"], "--json")  # type: ignore[index]
    _same(local, server, "search", "الراوي", "--json")
    _same(local, server, "search", "date:2019", "--json")
    _same(local, server, "duplicates", "--json")
    _same(local, server, "authenticity", "--json")
    for fmt in ("ftm", "gexf", "csv", "provenance"):
        out = tmp_path / f"export-{fmt}"
        docket("--case", server, "export", fmt, "-o", str(out) + (".zip" if fmt == "csv" else ""))
    docket("--case", server, "verify")
    docket("--case", server, "reindex")
    assert as_json(docket("--case", server, "search", "Raqqa", "--json"))["total"] >= 1


def test_merges_and_splits_on_a_server_case(cases: tuple[str, str]) -> None:
    _, server = cases
    people = [
        e for e in as_json(docket("--case", server, "entities", "--json")) if e["type"] == "person"
    ]
    assert len(people) >= 2
    merged = as_json(docket("--case", server, "merge", people[0]["id"], people[1]["id"], "--json"))
    assert merged
    trail = as_json(docket("--case", server, "audit", "--json"))
    assert "merge" in [e["action"] for e in trail]
    json.dumps(trail)
