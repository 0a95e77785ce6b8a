"""The one name lexicon: titles, kunya heads, nasab links, the article's Latin spellings,
theophoric ``عبد`` compounds, and the words that end a name, for Arabic and Latin.

Arabic entries are kept in their normalised form (``docket.text.normalize``), so "الأخ"
and "الاخ", "ى" and "ي" compare equal; Latin ones in lower case. Each set holds both
scripts (an Arabic word and a Latin one never collide). ``given-names.txt`` ships beside
this module and is loaded once per process.

Where the lists this replaces disagreed (the NER's, the resolver's, the cross-script
keys', a table rule's), this is their union, kept narrow in two ways on purpose: a few
Arabic titles count only in a name written on its own (``TITLES_ON_THEIR_OWN``), and
titles that are also given names (Amir, Wali, Major) count only before the name, never
inside it.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from docket.text.normalize import normalize


def norm(word: str) -> str:
    """A word as the rules compare it (Arabic folded, case folded)."""
    return normalize(word)


def word_set(words: str) -> frozenset[str]:
    """The normalised forms of the space-separated ``words``."""
    return frozenset(norm(w) for w in words.split())


# Titles, ranks and honorifics written before a name: kept apart, stripped from it.
TITLES = word_set(
    # Arabic
    "الشيخ الأمير أمير والي الوالي الحاج الحاجة الأخ الاخ الأخت أخونا أخينا "
    "الدكتور د المهندس القاضي الأستاذ السيد السيدة الشهيد المجاهد القائد المسؤول "
    "المسئول الملا المولى العقيد اللواء العميد المقدم الرائد النقيب الملازم الجندي العريف "
    "الرقيب الإمام الامام المعتقل الأسير الداعية "
    # Latin
    "sheikh shaykh shaikh sheik emir amir wali brother br bro sister akh al-akh dr doctor "
    "hajji haji hajj mr mrs ms sir madam sayyid sayed sayyed ustadh ustaz mullah mawlana "
    "imam qadi judge commander officer colonel general major captain lieutenant engineer "
    "eng professor prof martyr"
)
# Titles only at the head of a name written on its own, never in running text: the
# one-letter م (مهندس) is also the Gregorian era mark (٢٠١٩ م), and the indefinite أخ،
# شيخ، حاج، سيد are common nouns or given names there (سيد قطب).
TITLES_ON_THEIR_OWN = word_set("م أخ شيخ حاج سيد")

# Words that introduce a kunya ("father of", "mother of") in their grammatical cases and
# Latin spellings; ``abul`` / ``abal`` carry the article too (Abul-Walid = Abu al-Walid).
KUNYA_HEADS = word_set("أبو أبي أبا ابو ابي ابا أم ام abu abou abo aboo abi aba umm um om oum")
KUNYA_HEADS_WITH_ARTICLE = word_set("abul abal")
# "son of", "daughter of"; ``b`` is the abbreviation (Khalid b. Walid).
NASAB_LINKS = word_set("بن ابن بنت bin ibn ben bint binti b")
# Latin spellings of the article ال, assimilated or not (ad-Din, er-Rashid, es-Sayed,
# Deir ez-Zor, en-Nuaimi).
ARTICLES = word_set("al el ul il ad ed ar er as es at et an en az ez ash adh ath")

ABD = norm("عبد")
# Second halves of theophoric names written apart: "عبد الله", "عبد الرحمن".
ABD_TAILS = word_set(
    "الله الرحمن الرحيم العزيز الكريم القادر الرزاق السلام الحميد المجيد الناصر الوهاب "
    "الغني الجبار الستار الحكيم المنعم الهادي اللطيف الفتاح الباسط الإله الحي القيوم "
    "الملك الرؤوف الغفور الحليم الخالق الواحد الأحد الصمد الجليل المحسن الأمير النبي الحسين"
)
# Function words and common nouns that end a name in running text: prepositions,
# conjunctions, and the words letters put right after a name. Not "على": folded, it is
# the name "علي".
STOP = word_set(
    "في من إلى الى عن مع و أو ثم أن إن قد لقد كان كانت هو هي هم الذي التي الذين "
    "هذا هذه ذلك تلك مبلغ مبالغ قيمة راتب رواتب بتاريخ تاريخ عدد رقم تم يتم قام استلم "
    "سلم وقد حيث لدى عند بعد قبل منذ حتى كل جميع بعض غير شهر سنة عام يوم المحترم "
    "المحترمين حفظه حفظكم رحمه تقبله"
)
# Adjectives shaped like a nisba (al-...i) that are not family names.
NOT_NISBA = word_set(
    "الذي التي الماضي الحالي الثاني الثالث الرابع الخامس الشرعي العسكري الأمني الامني "
    "المالي الإداري الاداري العام الإسلامي الاسلامي الإعلامي الاعلامي الطبي الفني الداخلي "
    "الخارجي الشهري السنوي اليومي الأسبوعي المركزي الرئيسي الشخصي الرسمي الحربي القضائي "
    "الدعوي الزراعي التعليمي الصحي الاقتصادي المدني الجنائي الشمالي الجنوبي الشرقي الغربي "
    "العربي الأجنبي الاجنبي التالي الآتي الاتي المعني الكافي الجاري الباقي المتبقي "
    "الإضافي الاضافي النهائي الأولي الاولي الحقيقي الإجمالي الاجمالي الكلي الفعلي"
)


def is_title(word: str, on_its_own: bool = False) -> bool:
    """Whether a folded word is a title ("الشيخ", "Sheikh.", "al-Akh")."""
    w = word.rstrip(".")
    return w in TITLES or (on_its_own and w in TITLES_ON_THEIR_OWN)


@cache
def given_names() -> frozenset[str]:
    """Arabic given names (normalised), from the shipped ``given-names.txt``."""
    text = files("docket.text.names").joinpath("given-names.txt").read_text("utf-8")
    return frozenset(
        norm(line.strip()) for line in text.splitlines() if line.strip() and line[0] != "#"
    )
