"""A case exported as FollowTheMoney and the export ingested into a new case: the same
people, organisations and places come back as entities, Arabic names included, each
with its record as one of its members (through the CLI)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import docket, docket_json, docket_lines

LETTER = (
    "From: Abu Ammar al-Nuaimi\nTo: Raqqa Finance Bureau\n\n"
    "Please transfer 1,500 USD to brother Hassan Ibrahim al-Jubouri. "
    "Samir Abdullah met officials of the Ministry of Finance in Baghdad.\n"
)
ARABIC = "من: أبو عمار النعيمي\nإلى: ديوان بيت المال في الرقة\n\nيرجى صرف مبلغ للأخ حسن إبراهيم الجبوري.\n"
ROSTER = (
    "الاسم,المبلغ,التاريخ\nخالد وليد العبيدي,750,2015-06-01\nعمر فاروق الدليمي,600,2015-06-01\n"
)


def entities(case: Path) -> dict[tuple[str, str], set[str]]:
    return {(e["type"], e["name"]): set(e["variants"]) for e in docket_json("entities", case=case)}


def test_exported_entities_come_back_as_entities(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "letter.txt").write_text(LETTER)
    (src / "arabic.txt").write_text(ARABIC)
    (src / "roster.csv").write_text(ROSTER)
    first, second = tmp_path / "first", tmp_path / "second"
    docket("ingest", src, case=first)
    before = entities(first)
    assert any("أبو عمار النعيمي" in v for v in before.values())
    assert {kind for kind, _ in before} == {"person", "org", "place"}
    out = tmp_path / "export" / "case.ftm.json"
    out.parent.mkdir()
    docket("export", "ftm", "-o", out, case=first)
    docket("ingest", out, case=second)
    (item,) = docket_lines("list", case=second)
    assert (item["type"], item["status"]) == ("ftm", "ok")
    after = entities(second)
    for (kind, name), variants in before.items():
        back = [v for (k, n), v in after.items() if k == kind and (name in v or n == name)]
        assert len(back) == 1, (kind, name, sorted(after))
        assert variants <= back[0] | {name}, (kind, name)
    assert len(after) == len(before)
    shown = docket_json("show", item["id"], case=second)
    assert {e["name"] for e in shown["entities"]} == {n for _, n in after}
    # each entity's record (its schema and properties) is one of its members
    org = next(
        e for e in docket_json("entities", case=second) if e["name"] == "Raqqa Finance Bureau"
    )
    (record,) = docket_json("person", org["id"], case=second)["records"]
    assert (record["kind"], record["fields"]["schema"]) == ("org", "Organization")
    people = {n for k, n in after if k == "person"}
    assert {"خالد وليد العبيدي", "عمر فاروق الدليمي"} <= people  # the roster's payees
