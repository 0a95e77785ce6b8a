"""A real catalogue filled through Catalogue methods (and plain SQL for the tables the
extraction half writes), with the demo's people written in Arabic and English."""

from __future__ import annotations

import json
from pathlib import Path

from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.store.catalogue import Catalogue

LETTER_AR = "من: أبو عمار النعيمي\nإلى: ديوان بيت المال\nنرجو تحويل مبلغ ١٥٠٠ دولار إلى الأخ حسن إبراهيم الجبوري"
LETTER_EN = "From: Abu Ammar al-Nuaimi\nPlease pay brother Hassan Ibrahim al-Jubouri 1,500 USD."
REPORT = "Annex: Abou Ammar al-Noaimy (Deir ez-Zor) - 1,500 USD\nAbu Ammar al-Tamimi (Mayadin) - 900 USD\nHasan al-Jubori"
MEMO = "إلى: أبو عمار التميمي\nتم تسليم نسخة إلى أبو عمّار النعيمى"


def _add(cat: Catalogue, item_id: str, text: str, names: list[str], kind: str = "person") -> None:
    cat.add_item(
        {"id": item_id, "path": [f"{item_id}.txt"], "name": f"{item_id}.txt", "depth": 0,
         "status": "ok", "type": "text"}
    )  # fmt: skip
    lines = text.split("\n")
    cat.replace_segments(item_id, [Segment(text=line, page=1) for line in lines])
    mentions = []
    for name in names:
        for seg, line in enumerate(lines):
            start = line.find(name)
            if start >= 0:
                mentions.append(Mention(kind, name, name, seg, start, start + len(name), "test"))
                break
        else:
            raise AssertionError(f"{name!r} not in {item_id}")
    cat.replace_mentions(item_id, mentions)


def build(path: Path) -> Catalogue:
    cat = Catalogue(path / "case.db", create=True)
    _add(cat, "letter-ar", LETTER_AR, ["أبو عمار النعيمي", "حسن إبراهيم الجبوري"])
    _add(cat, "letter-en", LETTER_EN, ["Abu Ammar al-Nuaimi", "Hassan Ibrahim al-Jubouri"])
    _add(cat, "report", REPORT, ["Abou Ammar al-Noaimy", "Abu Ammar al-Tamimi", "Hasan al-Jubori"])
    _add(cat, "memo", MEMO, ["أبو عمار التميمي", "أبو عمّار النعيمى"])
    _add(cat, "places", "دير الزور\nDeir ez-Zor", ["دير الزور", "Deir ez-Zor"], kind="place")
    cat.add_item({"id": "ledger", "path": ["ledger.xlsx"], "name": "ledger.xlsx", "depth": 0,
                  "status": "ok", "type": "xlsx"})  # fmt: skip
    cat.db.execute(
        "INSERT INTO records (item_id, sheet, row, kind, fields, method) VALUES (?, ?, ?, ?, ?, ?)",
        ("ledger", "Sheet1", 2, "payment", json.dumps(
            {"payee": "حسن إبراهيم الجبوري", "amount": "1500", "currency": "USD",
             "date": "2019-02-20"}, ensure_ascii=False), "test"),
    )  # fmt: skip
    cat.db.execute(
        "INSERT INTO relations (item_id, kind, source, target, date, attrs, method) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        ("letter-en", "correspondence", "Abu Ammar al-Nuaimi <nuaimi@example.org>",
         "Hassan Ibrahim al-Jubouri", "2019-03-02", json.dumps({"subject": "Transfer"}), "test"),
    )  # fmt: skip
    return cat
