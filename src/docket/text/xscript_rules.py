"""The letter tables behind ``docket.text.xscript``: consonant classes per script, the
spellings that go either way, and the words too common to key."""

from __future__ import annotations

# Each letter by its own sound (its *fine* letter), in both scripts: t ت ط, T ث / th,
# d د, Z ض, D ذ ظ / dh, s س ص, S ش / sh ch, z ز, h ح ه, x خ / kh, k ك, q ق, j ج, G غ / gh,
# g (Latin g, which Arabic writes ج or غ), p and v (Latin, which Arabic writes ب and ف).
AR_FINE = {
    "ت": "t", "ط": "t", "ث": "T", "د": "d", "ض": "Z", "ذ": "D", "ظ": "D",
    "س": "s", "ص": "s", "ش": "S", "ز": "z", "ح": "h", "ه": "h", "خ": "x",
    "ك": "k", "ق": "q", "ج": "j", "غ": "G", "ڭ": "g",  # ڭ: گ and ڨ (xscript.word_tokens)
    "ب": "b", "ف": "f", "ر": "r", "ل": "l", "م": "m", "ن": "n", "و": "w", "ي": "y",
}  # fmt: skip
# The class of each fine letter: the letters Latin spellings confuse share one.
FINE_CLASS = str.maketrans("TDZSzxqjGpv", "tddsshkggbf")
AR_VOWELISH = frozenset("اويعءئؤى")  # ى: only where name keys keep it (xscript.word_tokens)
# Each gives one more key: (letter, the letter it is also read as).
AR_VARIANTS = (("ث", "س"), ("ظ", "ز"), ("ذ", "ز"), ("ق", "ج"), ("خ", "غ"), ("خ", "ك"),
               ("ض", "ز"))  # Persian, Urdu and Turkish say ض as z: Fazeel / فضيل, Ramzan  # fmt: skip

LATIN_DIGRAPHS = (
    ("tch", "S"), ("sch", "S"), ("kh", "x"), ("gh", "G"), ("sh", "S"), ("ch", "S"), ("th", "T"),
    ("dh", "D"), ("ph", "f"), ("ck", "k"), ("dj", "j"), ("ou", "u"),
)  # fmt: skip
LATIN_FINE = frozenset("bptTdDsSzhxkqgGjfvrlmnwy")
# How well a Latin consonant agrees with each Arabic one of its class (by fine letters):
# 1 for the usual spelling, less for what other conventions write; a pair left out earns
# nothing beyond the class.
FINE_MATCH: dict[str, dict[str, float]] = {
    "p": {"b": 1.0}, "v": {"f": 1.0},
    "t": {"t": 1.0, "T": 0.5}, "T": {"T": 1.0, "t": 0.8},
    "d": {"d": 1.0, "Z": 0.8, "D": 0.4}, "D": {"D": 1.0, "Z": 0.8, "d": 0.5},
    "s": {"s": 1.0, "z": 0.6, "T": 0.4, "S": 0.3}, "S": {"S": 1.0, "s": 0.3},
    "z": {"z": 1.0, "s": 0.6, "D": 0.5, "Z": 0.5},
    "h": {"h": 1.0, "x": 0.3}, "x": {"x": 1.0, "h": 0.5},
    "k": {"k": 1.0, "q": 0.7}, "q": {"q": 1.0, "k": 0.6},
    "g": {"j": 1.0, "G": 1.0, "q": 0.4}, "G": {"G": 1.0, "j": 0.3, "q": 0.4},
    "j": {"j": 1.0, "G": 0.3},
}  # fmt: skip
# Each gives one more key: (regex, replacement) on the plain a-z token.
LATIN_VARIANTS = (
    (r"dh", "dah"), (r"th", "tah"), (r"ch", "k"), (r"ch", "h"), (r"gh", "k"), (r"j", "y"),
    (r"j", "h"),  # Spanish j: Jaime / خايمي
    (r"ts", "s"),  # German tz/ts heard as one s
    (r"zh|cz", "j"),  # Zhirinovsky / جيرينوفسكي
    (r"cz", "sh"),  # Polish: Ganczarski
    (r"w", "v"),  # German and Polish w: Werner / فرنر, Matkowski / ماتكوفسكي
    (r"^v", "w"),  # Persian v: Vahidi / وحيدي
    (r"gh(?=t|$)", ""),  # silent gh: Lightfoot
    (r"th", "dh"),  # English voiced th: Withey / ويذاي
    (r"z+", "ts"),  # German and Italian z: Zuckmayer / تسوكماير, Materazzi
    (r"gn", "n"),  # French and Italian gn: Montaigne / مونتين
    (r"kh", "k"),  # Diakhate / دياكاتي
    (r"(?<=[aeiourn])(?:[tdsx]|ts)$|(?<=ie)r$", ""),  # French silent finals: Renard
    (r"(?<=[aeiou])h$", "hh"),  # a final h that is a consonant: Sabah / صباح
    (r"(?<=[aeiou])c$", "sh"),  # Slavic -ić, -ač, which Arabic writes -يتش, -اتش
    (r"wh", "w"),  # English wh: Wheeler / ويلر
    (r"(?<=[aeiou])ll(?=[aeiou])", "y"),  # Spanish ll: Falla / فايا, Collantes / كويانتس
    (r"(?<=[aeiou])ill", "y"),  # French -ill-: Gaillard / غايار
    (r"c(?=[aou])", "s"),  # French ç folded to c: Françoise / فرانسواز
    (r"rz", "j"),  # Polish rz: Korzeniowski / كورجينيوفسكي
    (r"nh", "ny"),  # Portuguese nh
    (r"ch", "j"),  # Persian and Urdu چ, which Arabic writes ج
    (r"p", "f"),  # p written ف in names from Persian and Urdu
    (r"dg(?=[eiy])", "j"),  # English dge: Aldridge
    (r"(?<=[aeiou])h(?=[^aeiouy])", ""),  # German lengthening h: Stahl / ستال, Lehner
    (r"^ou(?=[aeiy])", "w"),  # French ou for و: Ouettar / وطار
    (r"^[ie](?=[aeiou])", "y"),  # an initial i or e before a vowel, written ي: Iago / ياغو
    (r"^mc", "mak"),  # Mc: Mcindoe / ماكندو
    (r"c(?=[eiy])", "k"),  # Italian and Greek c: Fulci / فولكي
    (r"dt$", "d"),  # German -dt: Gerhardt / جرهارد
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
