"""FollowTheMoney entity files: recognised by their shape (not misread JSON, nor JSON
misread as entities), one segment an entity, and hostile lines (huge, not objects, not
JSON, bad UTF-8) counted as warnings on the item."""

from __future__ import annotations

import json

from docket.extract.documents import ftm
from docket.model.ftm import read_entity

PERSON = {
    "id": "p-1",
    "schema": "Person",
    "properties": {"name": ["أبو عمار النعيمي", "Abu Ammar al-Nuaimi"], "email": ["a@example.org"]},
}
COMPANY = {
    "id": "c-1",
    "schema": "Company",
    "properties": {"name": ["Northern Trading LLC"], "notes": ["first line\nsecond line"]},
}


def lines(*entities: object) -> bytes:
    return "\n".join(json.dumps(e, ensure_ascii=False) for e in entities).encode()


def test_an_entity_file_is_ftm_with_one_segment_an_entity(extract) -> None:
    result = extract(lines(PERSON, COMPANY), "entities.json")
    assert (result.type, result.mime, result.status) == ("ftm", "application/json+ftm", "ok")
    assert not result.ext_mismatch
    assert result.metadata["entities"] == 2
    assert result.metadata["schemata"] == {"Company": 1, "Person": 1}
    assert [(s.part, s.row) for s in result.segments] == [("entity", 1), ("entity", 2)]
    first = read_entity(result.segments[0].text)
    assert first is not None and (first.schema, first.id) == ("Person", "p-1")
    assert first.get("name") == ["أبو عمار النعيمي", "Abu Ammar al-Nuaimi"]
    for _, value, start, end in first.values:  # offsets point at the value in the text
        assert result.segments[0].text[start:end] == value
    company = read_entity(result.segments[1].text)
    assert company is not None and company.get("notes") == ["first line\nsecond line"]


def test_other_json_is_not_taken_for_entities(extract) -> None:
    for doc in (
        {"schema": "Person", "properties": {"name": "not a list"}},
        {"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"a": {}}},
        {"schema": {"type": "object"}, "properties": {}},
        {"team": "Golden State Warriors", "wins": 10},
    ):
        assert extract(json.dumps(doc).encode(), "doc.json").type == "json", doc
    # one entity line among plain records: JSON Lines, not an entity file
    mixed = lines(PERSON, {"team": "Warriors"})
    assert extract(mixed, "doc.jsonl").type == "json"


def test_a_first_line_longer_than_the_head_is_judged_by_its_keys() -> None:
    from pathlib import Path

    from docket.extract.detect import HEAD, Probe

    big = dict(PERSON, properties={"name": ["x"], "notes": ["y" * (HEAD * 2)]})
    head = json.dumps(big).encode()[:HEAD]
    assert ftm._sniff(Probe(Path("big.json"), "json", head))
    other = json.dumps({"schema": "v1", "data": ["y" * HEAD * 2]}).encode()[:HEAD]
    assert not ftm._sniff(Probe(Path("big.json"), "json", other))


def test_hostile_lines_are_counted_never_a_crash(extract, monkeypatch) -> None:
    monkeypatch.setattr(ftm, "MAX_LINE", 4096)
    huge = json.dumps(dict(PERSON, id="huge", properties={"notes": ["z" * 10_000]})).encode()
    bad_utf8 = lines(COMPANY).replace(b"Northern", b"North\xff\xfeern")
    data = b"\n".join(
        [lines(PERSON, PERSON, PERSON), huge, b"[1, 2, 3]", b'"a string"', b"{not json", bad_utf8]
    )
    result = extract(data + b"\n\n", "hostile.json")
    assert (result.type, result.status) == ("ftm", "partial")
    assert result.metadata["entities"] == 4  # PERSON thrice and the company with bad bytes
    assert "North\ufffd\ufffdern Trading LLC" in result.segments[-1].text
    messages = sorted(m for _, m in result.warnings)
    assert messages == [
        "1 lines are not valid JSON",
        "1 lines are not valid UTF-8 (the bad bytes were replaced)",
        "1 lines over 4096 bytes were skipped",
        "2 lines are not entity objects (schema and properties)",
    ]
    assert "huge" not in "\n".join(s.text for s in result.segments)


def test_a_file_with_no_entity_read_is_corrupt(extract, monkeypatch) -> None:
    # Detected by its first line's keys (longer than the head), too long to read.
    monkeypatch.setattr(ftm, "MAX_LINE", 70_000)
    big = dict(PERSON, properties={"name": ["x"], "notes": ["y" * 100_000]})
    result = extract(json.dumps(big).encode(), "big.ftm")
    assert (result.type, result.status, result.code) == ("ftm", "failed", "corrupt")
    assert result.message == (
        "no FollowTheMoney entity could be read: 1 lines over 70000 bytes were skipped"
    )
