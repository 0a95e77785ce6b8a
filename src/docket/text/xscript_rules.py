"""The letter tables behind ``docket.text.xscript``: consonant classes per script, the
spellings that go either way, and the words too common to key."""

from __future__ import annotations

AR_CLASS = {
    **dict.fromkeys("تطث", "t"),
    **dict.fromkeys("دضذظ", "d"),
    **dict.fromkeys("سصشز", "s"),
    **dict.fromkeys("حهخ", "h"),
    **dict.fromkeys("كق", "k"),
    **dict.fromkeys("جغ", "g"),
    "ب": "b", "ف": "f", "ر": "r", "ل": "l", "م": "m", "ن": "n",
    "و": "w", "ي": "y",
}  # fmt: skip
AR_VOWELISH = frozenset("اويعءئؤ")
# Each gives one more key: (letter, the letter it is also read as).
AR_VARIANTS = (("ث", "س"), ("ظ", "ز"), ("ذ", "ز"), ("ق", "ج"), ("خ", "غ"), ("خ", "ك"),
               ("ض", "ز"))  # Persian, Urdu and Turkish say ض as z: Fazeel / فضيل, Ramzan  # fmt: skip

LATIN_DIGRAPHS = (
    ("tch", "s"), ("sch", "s"), ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"),
    ("dh", "d"), ("ph", "f"), ("ck", "k"), ("dj", "g"), ("ou", "u"),
)  # fmt: skip
LATIN_CLASS = {
    "b": "b", "p": "b", "t": "t", "d": "d", "s": "s", "h": "h", "k": "k", "q": "k",
    "g": "g", "j": "g", "f": "f", "v": "f", "z": "s", "r": "r", "l": "l", "m": "m",
    "n": "n", "w": "w", "y": "y",
}  # fmt: skip
# Each gives one more key: (regex, replacement) on the plain a-z token.
LATIN_VARIANTS = (
    (r"dh", "dah"), (r"th", "tah"), (r"ch", "k"), (r"ch", "h"), (r"gh", "k"), (r"j", "y"),
    (r"j", "h"),  # Spanish j: Jaime / خايمي
    (r"ts", "s"),  # German tz/ts heard as one s
    (r"zh|cz", "j"),  # Zhirinovsky / جيرينوفسكي
    (r"cz", "sh"),  # Polish: Ganczarski
    (r"w", "v"),  # German and Polish w: Werner / فرنر, Matkowski / ماتكوفسكي
    (r"v", "w"),  # Persian v: Vahidi / وحيدي
    (r"gh(?=t|$)", ""),  # silent gh: Lightfoot
    (r"th", "dh"),  # English voiced th: Withey / ويذاي
    (r"z+", "ts"),  # German and Italian z: Zuckmayer / تسوكماير, Materazzi
    (r"gn", "n"),  # French and Italian gn: Montaigne / مونتين
    (r"kh", "k"),  # Diakhate / دياكاتي
    (r"(?<=[aeiourn])(?:[tdsx]|ts)$|(?<=ie)r$", ""),  # French silent finals: Renard
    (r"(?<=[aeiou])h$", "hh"),  # a final h that is a consonant: Sabah / صباح
    (r"ic$", "ish"),  # Slavic -ić, which Arabic writes -يتش
    (r"wh", "w"),  # English wh: Wheeler / ويلر
    (r"ll", "y"),  # Spanish ll: Falla / فايا, Collantes / كويانتس
    (r"(?<=[aeiou])ill", "y"),  # French -ill-: Gaillard / غايار
    (r"c(?=[aou])", "s"),  # French ç folded to c: Françoise / فرانسواز
    (r"rz", "j"),  # Polish rz: Korzeniowski / كورجينيوفسكي
    (r"nh", "ny"),  # Portuguese nh
    (r"ch", "j"),  # Persian and Urdu چ, which Arabic writes ج
    (r"p", "f"),  # p written ف in names from Persian and Urdu
    (r"dg(?=[eiy])", "j"),  # English dge: Aldridge
)  # fmt: skip


# Folded Arabic function words: they would match short names (من / Amin, علي / Ali,
# هذا / Hadi) in nearly every Arabic document.
AR_STOP = frozenset([
    "من", "في", "علي", "عن", "الي", "ان", "انه", "انها", "ما", "لا", "لم", "لن", "هو", "هي",
    "هم", "هما", "نحن", "انا", "انت", "هذا", "هذه", "ذلك", "تلك", "هذان", "التي", "الذي",
    "الذين", "كان", "كانت", "يكون", "كل", "بعض", "بين", "حتي", "بعد", "قبل", "عند", "منذ",
    "مع", "ثم", "او", "ام", "بل", "لكن", "ليس", "قد", "لقد", "اذا", "اذ", "كما", "مثل", "غير",
    "حول", "خلال", "دون", "ضد", "نحو", "لدي", "وفي", "ومن", "وعلي", "وعن", "والي", "وان",
    "وهو", "وهي", "ولا", "ولم", "وقد", "فقد", "فان", "وكان", "ايضا",
])  # fmt: skip
