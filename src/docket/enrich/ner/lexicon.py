"""Word lists of the organisation rules, and the shipped gazetteer tables in ``data/``.
Personal names (titles, kunya heads, nasab links, articles, given names) have their one
lexicon in ``docket.text.names.lexicon``."""

from __future__ import annotations

from importlib.resources import files

from docket.text.names.lexicon import word_set

# Words that head an organisation's name in Arabic (indefinite: "مكتب الرقة").
ORG_CUES = word_set(
    "مكتب ديوان كتيبة ولاية لواء قسم وزارة هيئة جيش سرية فوج دائرة مديرية مجلس جبهة "
    "حركة تنظيم فيلق فرقة جماعة مركز إدارة ادارة شعبة قيادة محكمة جهاز مؤسسة معسكر "
    "مضافة"
)
# English words that end ("Finance Bureau") or head ("Ministry of Finance") an org name.
ORG_HEADS_EN = (
    "Bureau", "Office", "Department", "Ministry", "Directorate", "Council", "Committee",
    "Brigade", "Battalion", "Division", "Diwan", "Wilayat", "Wilayah", "Province",
    "Agency", "Authority", "Court", "Commission", "Administration", "Front", "Army",
    "Corps", "Regiment", "Company", "Bank", "Police",
)  # fmt: skip


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a shipped TSV (first non-comment line is the header)."""
    text = files("docket.enrich.ner").joinpath(f"data/{name}").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return [
        dict(zip(header, (line.split("\t") + [""] * len(header)), strict=False))
        for line in lines[1:]
    ]
