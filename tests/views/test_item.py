"""``docket show --json``: an item's mentions (what the enrichers found, where, and by
which enricher) and the entities they were resolved to, so a script can check them."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import docket, docket_json, docket_lines

LETTER = (
    "Subject: transfer\n"
    "From: Ahmed Hassan <ahmed.hassan@example.org>\n"
    "Call +964 770 123 4567 on 12 March 2019.\n"
    "Payment of 1500 USD to Ali Kareem in Mosul.\n"
    "بتاريخ ١٥ رمضان ١٤٤٠ هـ\n"
)


def test_show_json_lists_mentions_and_entities(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "letter.txt").write_text(LETTER, encoding="utf-8")
    case = tmp_path / "case"
    docket("ingest", src, case=case)
    (item,) = docket_lines("list", case=case)
    shown = docket_json("show", item["id"], case=case)
    mentions = shown["mentions"]
    assert shown["mention_count"] == len(mentions)
    by_kind = {(m["kind"], m["value"]): m for m in mentions}
    email = by_kind[("email", "ahmed.hassan@example.org")]
    assert email["enricher"] == "patterns" and email["method"]
    assert ("phone", "+9647701234567") in by_kind
    assert ("date", "2019-03-12") in by_kind
    assert ("money", "1500 USD") in by_kind
    # the Hijri date, converted: 15 Ramadan 1440 is 20 May 2019
    assert ("date", "2019-05-20") in by_kind
    text = shown["text"]
    for m in mentions:
        assert set(m) >= {"kind", "text", "value", "segment", "start", "end", "enricher"}
        assert text[m["text_start"] : m["text_end"]] == m["text"], m
    people = [m for m in mentions if m["kind"] == "person"]
    assert {"Ahmed Hassan", "Ali Kareem"} <= {m["text"] for m in people}
    entities = {e["id"]: e for e in shown["entities"]}
    ahmed = next(m for m in people if m["text"] == "Ahmed Hassan")
    assert entities[ahmed["entity"]]["name"] == "Ahmed Hassan"
    assert entities[ahmed["entity"]]["type"] == "person"


def test_show_json_of_an_item_without_mentions(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "blank.txt").write_text("   \n", encoding="utf-8")
    case = tmp_path / "case"
    docket("ingest", src, case=case)
    (item,) = docket_lines("list", case=case)
    shown = docket_json("show", item["id"], case=case)
    assert (shown["mentions"], shown["entities"], shown["mention_count"]) == ([], [], 0)
