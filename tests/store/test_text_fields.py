"""Index fields made by a worker from an item's text (``text_fields``): the coordinator
adds them as they are when they were made from the text it indexes, and folds afresh when
not; the fast name keys are the keys of every Arabic and capitalised word."""

from __future__ import annotations

from pathlib import Path

from docket.model.items import Segment
from docket.pipeline.tasks import EnrichTask, Task, process
from docket.settings import DEFAULTS
from docket.store.fulltext import FullText, name_keys, text_fields
from docket.store.query import Builder, parse
from docket.text.normalize import normalize, token_spans, tokens
from docket.text.xscript import name_words, token_keys, word_tokens

TEXT = (
    "Transfer of 500 dollars to Khalid al-Nuaimi, approved by the Finance Bureau.\n"
    "تحويل رواتب إلى خالد النعيمي من ديوان المالية في الموصل\n"
    "the ledger was signed by Abu Ammar; NUAIMI wrote again."
)


def _reference_name_keys(text: str) -> list[str]:
    # The definition: each word (an apostrophe inside a name joining its sides) that starts
    # with a capital or a non-ASCII letter, folded as names are (word_tokens), keyed, each
    # key once in order of first occurrence.
    text = " ".join(name_words(text))
    seen: dict[str, None] = {}
    for start, end, _folded in token_spans(text):
        first = text[start]
        if first.isascii() and not first.isupper():
            continue
        for folded in word_tokens(text[start:end]):
            for key in token_keys(folded):
                seen.setdefault(key, None)
    return list(seen)


def test_name_keys_are_the_keys_of_every_arabic_and_capitalised_word() -> None:
    keys = name_keys(TEXT)
    assert keys == _reference_name_keys(TEXT)
    assert set(token_keys(normalize("Nuaimi"))) <= set(keys)
    assert set(token_keys(normalize("النعيمي"))) & set(keys)
    assert not set(token_keys("ledger")) & set(keys)  # lower-case prose is not a name


def test_fields_are_the_folded_text_its_stems_and_name_keys() -> None:
    fields = text_fields(TEXT)
    assert fields.text.split() == tokens(TEXT)
    assert fields.xscript.split() == name_keys(TEXT)
    assert fields == text_fields(TEXT) and fields.digest != text_fields(TEXT + " ").digest


def _ids(ft: FullText, q: str) -> set[str]:
    return {h.id for h in ft.search(Builder(ft.schema).build(parse(q)))[1]}


def test_fields_of_another_text_are_not_used(tmp_path: Path) -> None:
    ft = FullText(tmp_path / "index")
    item = {"path": ["a.txt"], "type": "text"}
    ft.put({"id": "made", **item}, TEXT, text_fields(TEXT))
    # Fields made from an older text of the item (extracted again since): folded afresh.
    ft.put({"id": "stale", **item}, TEXT, text_fields("an unrelated zebra"))
    ft.close()
    assert _ids(ft, "النعيمي") == _ids(ft, "Nuaimi") == {"made", "stale"}
    assert _ids(ft, "zebra") == set()


def test_workers_send_the_index_fields_of_the_text_they_made(tmp_path: Path) -> None:
    source = tmp_path / "letter.txt"
    source.write_text(TEXT, encoding="utf-8")
    events: list[tuple[str, object]] = []
    task = Task("i1", "letter.txt", "txt", 0, None, source.stat().st_size, str(source))
    process(task, tmp_path / "blobs", DEFAULTS, lambda kind, value: events.append((kind, value)))
    kinds = [k for k, _ in events]
    assert kinds == ["stored", "index", "done"]
    result = events[-1][1]
    text = "\n".join(s.text for s in result.segments)  # type: ignore[attr-defined]
    assert events[1][1] == text_fields(text)

    events.clear()
    segments = (Segment(TEXT.split("\n")[0]), Segment(TEXT.split("\n")[1]))
    enrich = EnrichTask("i1", ("dates",), "text", "text/plain", "ok", "en", {}, segments)
    process(enrich, tmp_path / "blobs", DEFAULTS, lambda kind, value: events.append((kind, value)))
    assert [k for k, _ in events] == ["index", "done"]
    assert events[0][1] == text_fields("\n".join(s.text for s in segments))
