"""Word lists for the name and organisation rules, Arabic and Latin. Arabic entries are
kept in their normalised form (``docket.text.normalize``), so "الأخ" and "الاخ", "ى" and
"ي" compare equal; the shipped data files in ``data/`` are loaded once per process."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from docket.text.normalize import normalize


def norm(word: str) -> str:
    """A word as the rules compare it (Arabic folded, case folded)."""
    return normalize(word)


def _set(words: str) -> frozenset[str]:
    return frozenset(norm(w) for w in words.split())


# Titles, ranks and honorifics written before a name: kept in attrs, stripped from it.
TITLES = _set(
    "الشيخ الأمير أمير والي الوالي الحاج الحاجة الأخ الاخ الأخت أخونا أخينا الدكتور د "
    "المهندس القاضي الأستاذ السيد السيدة الشهيد المجاهد القائد المسؤول المسئول الملا "
    "العقيد اللواء العميد المقدم الرائد النقيب الملازم الجندي العريف الرقيب الإمام "
    "الامام المعتقل الأسير الداعية"
)
# Words that introduce a kunya ("father of", "mother of") in its grammatical cases.
KUNYA_HEADS = _set("أبو أبي أبا ابو ابي ابا أم ام")
NASAB_LINKS = _set("بن ابن بنت")
ABD = norm("عبد")
# Second halves of theophoric names written apart: "عبد الله", "عبد الرحمن".
ABD_TAILS = _set(
    "الله الرحمن الرحيم العزيز الكريم القادر الرزاق السلام الحميد المجيد الناصر الوهاب "
    "الغني الجبار الستار الحكيم المنعم الهادي اللطيف الفتاح الباسط الإله الحي القيوم "
    "الملك الرؤوف الغفور الحليم الخالق الواحد الأحد الصمد الجليل المحسن الأمير النبي الحسين"
)
# Function words and common nouns that end a name: prepositions, conjunctions, and the
# words letters put right after a name. Not "على": folded, it is the name "علي".
STOP = _set(
    "في من إلى الى عن مع و أو ثم أن إن قد لقد كان كانت هو هي هم الذي التي الذين "
    "هذا هذه ذلك تلك مبلغ مبالغ قيمة راتب رواتب بتاريخ تاريخ عدد رقم تم يتم قام استلم "
    "سلم وقد حيث لدى عند بعد قبل منذ حتى كل جميع بعض غير شهر سنة عام يوم المحترم "
    "المحترمين حفظه حفظكم رحمه تقبله"
)
# Adjectives shaped like a nisba (al-...i) that are not family names.
NOT_NISBA = _set(
    "الذي التي الماضي الحالي الثاني الثالث الرابع الخامس الشرعي العسكري الأمني الامني "
    "المالي الإداري الاداري العام الإسلامي الاسلامي الإعلامي الاعلامي الطبي الفني الداخلي "
    "الخارجي الشهري السنوي اليومي الأسبوعي المركزي الرئيسي الشخصي الرسمي الحربي القضائي "
    "الدعوي الزراعي التعليمي الصحي الاقتصادي المدني الجنائي الشمالي الجنوبي الشرقي الغربي "
    "الكردي العربي الأجنبي الاجنبي التالي الآتي الاتي المعني الكافي الجاري الباقي المتبقي "
    "الإضافي الاضافي النهائي الأولي الاولي الحقيقي الإجمالي الاجمالي الكلي الفعلي"
)
# Words that head an organisation's name in Arabic (indefinite: "مكتب الرقة").
ORG_CUES = _set(
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
TITLES_EN = frozenset(
    [
        "sheikh",
        "shaykh",
        "shaikh",
        "sheik",
        "emir",
        "amir",
        "wali",
        "brother",
        "br",
        "sister",
        "dr",
        "doctor",
        "hajji",
        "haji",
        "hajj",
        "mr",
        "mrs",
        "ms",
        "mullah",
        "imam",
        "commander",
        "judge",
        "qadi",
        "colonel",
        "general",
        "major",
        "captain",
        "lieutenant",
        "engineer",
        "eng",
        "professor",
        "prof",
        "martyr",
    ]
)
KUNYA_EN = frozenset(["abu", "abou", "abo", "aboo", "umm", "um", "om"])
NASAB_EN = frozenset(["bin", "ibn", "bint", "ben"])
ARTICLES_EN = frozenset(["al", "el", "ad", "ash", "as", "at", "az", "an", "ar", "adh", "ath"])


@cache
def given_names() -> frozenset[str]:
    text = files("docket.text.names").joinpath("given-names.txt").read_text("utf-8")
    return frozenset(
        norm(line.strip()) for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a shipped TSV (first non-comment line is the header)."""
    text = files("docket.enrich.ner").joinpath(f"data/{name}").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return [
        dict(zip(header, (line.split("\t") + [""] * len(header)), strict=False))
        for line in lines[1:]
    ]
