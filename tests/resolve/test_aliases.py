"""Weighing alias evidence (``docket.resolve.aliases``): what never links, how the score
grows with repetition, ambiguity, and the analyst's verdicts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from docket.resolve.aliases import CONFIRM, WEIGHTS, Statement, refusal, statements, weigh


def _say(name: str, alias: str, item: str = "i1", kind: str = "record", **more: Any) -> Statement:
    return Statement(
        name, alias, {"kind": kind, "item": item, "quote": f"{name} | {alias}", **more}
    )


@pytest.mark.parametrize(
    ("name", "alias", "why"),
    [
        ("سعيد حسن الدوري", "أبو علي", "a bare common kunya"),
        ("Hamid Salem al-Obeidi", "Abu Muhammad", "a bare common kunya"),
        ("Hamid Salem al-Obeidi", "Abu Mohammed", "a bare common kunya"),
        ("أبو عبيدة الشامي", "أبو عبيدة العراقي", "a shared kunya with different nisbas"),
        ("Abu Hafs al-Masri", "Abu Hafs al-Iraqi", "a shared kunya with different nisbas"),
        ("أبو عبيدة الشامي", "Abu Ubaida al-Shami", "one name, two spellings"),
        ("أبو دجانة محمد الحسن", "أبو دجانة", "one name holds the other"),
        ("مكتب الحسبة", "أبو عبيدة الشامي", "not two personal names"),
    ],
)
def test_never_linked(name: str, alias: str, why: str) -> None:
    assert refusal(name, alias) == why
    assert weigh([_say(name, alias)]) == []


def test_a_roster_row_confirms_and_a_common_kunya_with_a_nisba_is_fine() -> None:
    (link,) = weigh([_say("محمد عبد الكريم الحسن", "أبو عبيدة الشامي")])
    assert link.status == "confirmed" and link.score == pytest.approx(WEIGHTS["record"])
    assert (link.name, link.alias) == ("محمد عبد الكريم الحسن", "أبو عبيدة الشامي")
    (link,) = weigh([_say("طه صبحي فلاحة", "أبو محمد العدناني")])
    assert link.status == "confirmed"


def test_repetition_raises_the_score() -> None:
    one = weigh([_say("Tariq al-Warfalli", "Abu Suhaib al-Libi", kind="signature")])[0]
    two = weigh([_say("Tariq al-Warfalli", "Abu Suhaib al-Libi", "i1", "signature"),
                 _say("Tariq al-Warfalli", "Abu Suhaib al-Libi", "i2", "signature")])[0]  # fmt: skip
    same_item = weigh([_say("Tariq al-Warfalli", "Abu Suhaib al-Libi", "i1", "signature")] * 3)[0]
    assert one.score == same_item.score == pytest.approx(0.5)
    assert one.score < two.score < CONFIRM
    assert one.status == two.status == "possible" and len(two.evidence) == 2
    three = weigh([_say("Tariq al-Warfalli", "Abu Suhaib al-Libi", f"i{n}", "signature")
                   for n in range(3)])[0]  # fmt: skip
    assert three.status == "confirmed"


def test_a_bare_kunya_needs_more_than_one_row() -> None:
    (one,) = weigh([_say("ياسر محمود الزعبي", "أبو دجانة")])
    assert one.status == "possible" and one.score < CONFIRM
    (two,) = weigh([_say("ياسر محمود الزعبي", "أبو دجانة", "i1"),
                    _say("ياسر محمود الزعبي", "أبو دجانة", "i2")])  # fmt: skip
    assert two.status == "confirmed"


def test_an_alias_given_to_two_people_is_ambiguous() -> None:
    links = weigh([_say("ياسر محمود الزعبي", "أبو دجانة الأنصاري", "i1"),
                   _say("عمر خليل الجبوري", "أبو دجانة الأنصاري", "i2")])  # fmt: skip
    assert [x.status for x in links] == ["possible", "possible"]
    assert all(x.note.startswith("ambiguous") for x in links)


def test_analyst_verdicts_win_latest_first() -> None:
    say = [_say("Fathi Ben Salem", "Abu Musab al-Tunisi", kind="phone", value="+218912345678")]
    (link,) = weigh(say)
    assert link.status == "possible" and link.decided == "evidence"
    decisions = [
        {"id": 1, "time": "2026-01-01T00:00:00Z", "kind": "alias",
         "payload": {"link": link.id, "verdict": "confirm"}},
        {"id": 2, "time": "2026-01-02T00:00:00Z", "kind": "alias",
         "payload": {"link": link.id, "verdict": "reject"}},
        {"id": 3, "time": "2026-01-03T00:00:00Z", "kind": "merge", "payload": {}},
    ]  # fmt: skip
    (after,) = weigh(say, decisions)
    assert after.status == "rejected" and after.decided == "analyst" and after.decision == 2
    (first,) = weigh(say, decisions[:1])
    assert first.status == "confirmed"


def _record(rid: int, item: str, **fields: Any) -> dict[str, Any]:
    columns = {k.title(): v for k, v in fields.items()}
    return {"id": rid, "item_id": item, "sheet": None, "row": rid + 1, "kind": "person",
            "fields": json.dumps({**fields, "columns": columns})}  # fmt: skip


def _contact(item: str, name: str, kind: str, value: str) -> dict[str, Any]:
    return {"id": 1, "item_id": item, "segment": 0, "start": 0, "end": len(value),
            "kind": "contact", "text": value, "value": value,
            "attrs": json.dumps({"name": name, "id_kind": kind, "quote": f"{name} {value}"})}  # fmt: skip


def test_one_iban_or_address_held_by_two_names() -> None:
    rows = {
        "records": [_record(1, "roster", name="Fathi Ben Salem", iban="DE89 3704 0044 0532 0130 00",
                            email="Fathi@Example.org")],
        "aliases": [_contact("note", "Abu Musab al-Tunisi", "iban", "DE89370400440532013000")],
        "relations": [{"id": 1, "item_id": "mail", "source": "Abu Musab al-Tunisi <fathi@example.org>",
                       "target": "x", "attrs": json.dumps({"source_name": "Abu Musab al-Tunisi",
                                                           "source_address": "fathi@example.org"})}],
    }  # fmt: skip
    (link,) = weigh(statements(rows))
    assert sorted(e["kind"] for e in link.evidence) == ["email", "iban"]
    assert link.score == pytest.approx(1 - (1 - WEIGHTS["iban"]) * (1 - WEIGHTS["email"]))
    assert (link.name, link.alias) == ("Fathi Ben Salem", "Abu Musab al-Tunisi")


def test_a_shared_office_line_is_no_evidence() -> None:
    names = ["Fathi Ben Salem", "Omar Farouk al-Tikriti", "Ahmed Yassin al-Rawi", "Karim al-Halabi"]
    rows = {"records": [_record(n, "roster", name=x, phone="+963944000111")
                        for n, x in enumerate(names)]}  # fmt: skip
    assert weigh(statements(rows)) == []
    assert len(weigh(statements({"records": rows["records"][:2]}))) == 1
