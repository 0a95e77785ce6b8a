"""Natural-prose text for the benchmarks, offline and reproducible.

English and Arabic sentences come from order-2 word Markov chains trained on real prose
that is already on the machine (nothing is downloaded):

* English: the news report in ``../shared/samples/news/`` and the prose paragraphs of
  the Python documentation's topic help (``pydoc_data.topics``, in the standard
  library; code blocks, grammar rules and tables are dropped).
* Arabic: the ground-truth lines of the OCR samples in ``../shared/samples/ocr-arabic*``
  (printed classical books: al-Jahiz, al-Ya'qubi, al-Dhahabi) and spaCy's Arabic example
  sentences when spaCy is installed. Without the shared samples, Arabic falls back to
  those few spaCy sentences and the sample case's letters (``docket.demo.content``), a
  thin source: ``sources()`` says which were used.

Into that prose go the things a real cache's documents carry and the enrichers look
for: people's names (Arabic and English spellings, kunyas, nisbas; a fixed cast, so the
same people recur), places, Gregorian and Hijri dates, amounts, telephone numbers and
e-mail addresses, at about one such clause every two or three sentences.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
_USED: dict[str, list[str]] = {"en": [], "ar": []}

# --- training text -------------------------------------------------------------------


def _english_text() -> list[str]:
    """Paragraphs of real English prose."""
    paras: list[str] = []
    news = SAMPLES / "news" / "isis_files_report.txt"
    if news.exists():
        paras += [p for p in news.read_text(encoding="utf-8").splitlines() if len(p.split()) > 8]
        _USED["en"].append(str(news))
    from pydoc_data.topics import topics

    for body in topics.values():
        for para in re.split(r"\n\s*\n", body):
            if para.startswith((" ", "\t")) or "::" in para or "|" in para or "*" in para:
                continue  # code, grammar and tables
            flat = " ".join(para.split())
            words = flat.split()
            letters = sum(ch.isalpha() or ch.isspace() for ch in flat)
            if len(words) >= 12 and letters > 0.9 * len(flat) and flat.endswith("."):
                paras.append(flat)
    _USED["en"].append("pydoc_data.topics (Python standard library)")
    return paras


def _arabic_text() -> list[str]:
    """Lines of real Arabic prose."""
    lines: list[str] = []
    for gt in sorted(SAMPLES.glob("ocr-arabic*/**/*.gt.txt")):
        line = gt.read_text(encoding="utf-8").strip()
        line = re.sub(r"\(\s*[0-9٠-٩]+\s*\)", "", line)  # footnote markers
        if len(line.split()) >= 4:
            lines.append(" ".join(line.split()))
    if lines:
        _USED["ar"].append(f"{SAMPLES}/ocr-arabic*/ ground truth ({len(lines)} lines)")
    try:
        from spacy.lang.ar.examples import sentences

        lines += sentences
        _USED["ar"].append("spacy.lang.ar.examples")
    except ImportError:
        pass
    if len(lines) < 100:
        from docket.demo import content

        lines += [s for s in content.LETTER_AR if len(s.split()) >= 4]
        _USED["ar"].append("docket.demo.content letters (fallback: no shared samples)")
    return lines


def sources() -> dict[str, list[str]]:
    chain(False), chain(True)
    return {k: list(v) for k, v in _USED.items()}


# --- the chain -----------------------------------------------------------------------


class Chain:
    """An order-2 word Markov chain; where a state has one continuation only (common in a
    small corpus) it backs off to order 1 now and then, so it does not just recite."""

    def __init__(self, paragraphs: list[str], backoff: float = 0.0) -> None:
        self.two: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.one: dict[str, list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        self.backoff = backoff
        for para in paragraphs:
            words = para.split()
            for k in range(len(words) - 2):
                self.two[(words[k], words[k + 1])].append(words[k + 2])
                self.one[words[k + 1]].append(words[k + 2])
                after_stop = k == 0 or words[k - 1].endswith((".", "؟", "?", "!"))
                if after_stop and (words[k][:1].isupper() or not words[k][:1].isascii()):
                    self.starts.append((words[k], words[k + 1]))
        self.starts = sorted(set(self.starts))  # stable order: reproducible choices

    def sentence(self, rng: random.Random, low: int = 8, high: int = 40) -> str:
        a, b = rng.choice(self.starts)
        out = [a, b]
        while len(out) < high:
            nxt = self.two.get((a, b))
            if not nxt or (len(set(nxt)) == 1 and rng.random() < self.backoff):
                nxt = self.one.get(b)
            if not nxt:
                break
            c = rng.choice(nxt)
            out.append(c)
            a, b = b, c
            if len(out) >= low and c.endswith((".", "؟", "?", "!")):
                break
        text = " ".join(out).rstrip(",،;:")
        return text if text.endswith((".", "؟", "?", "!")) else text + "."


@cache
def chain(arabic: bool) -> Chain:
    if arabic:
        return Chain(_arabic_text(), backoff=0.35)
    return Chain(_english_text())


# --- people, places, dates, amounts --------------------------------------------------

GIVEN = [
    ("محمد", "Muhammad"),
    ("أحمد", "Ahmad"),
    ("علي", "Ali"),
    ("عمر", "Omar"),
    ("حسن", "Hassan"),
    ("حسين", "Hussein"),
    ("خالد", "Khalid"),
    ("إبراهيم", "Ibrahim"),
    ("يوسف", "Yusuf"),
    ("عبد الله", "Abdullah"),
    ("عبد الرحمن", "Abd al-Rahman"),
    ("سمير", "Samir"),
    ("مصطفى", "Mustafa"),
    ("محمود", "Mahmoud"),
    ("سعيد", "Saeed"),
    ("فيصل", "Faisal"),
    ("طارق", "Tariq"),
    ("زياد", "Ziad"),
    ("ماجد", "Majid"),
    ("صالح", "Salih"),
    ("عثمان", "Uthman"),
    ("بكر", "Bakr"),
    ("حمزة", "Hamza"),
    ("أسامة", "Usama"),
    ("وليد", "Walid"),
    ("جاسم", "Jasim"),
    ("نبيل", "Nabil"),
    ("رشيد", "Rashid"),
    ("فاطمة", "Fatima"),
    ("عائشة", "Aisha"),
    ("مريم", "Maryam"),
    ("زينب", "Zainab"),
]
NISBA = [
    ("العراقي", "al-Iraqi"),
    ("الشامي", "al-Shami"),
    ("الجبوري", "al-Jubouri"),
    ("العبيدي", "al-Obaidi"),
    ("النعيمي", "al-Nuaimi"),
    ("التميمي", "al-Tamimi"),
    ("الأنصاري", "al-Ansari"),
    ("الدليمي", "al-Dulaimi"),
    ("الحمداني", "al-Hamdani"),
    ("الموصلي", "al-Mawsili"),
    ("الرقاوي", "al-Raqqawi"),
    ("الحلبي", "al-Halabi"),
    ("المصري", "al-Masri"),
    ("التونسي", "al-Tunisi"),
    ("الليبي", "al-Libi"),
    ("الكردي", "al-Kurdi"),
    ("الشمري", "al-Shammari"),
    ("الزبيدي", "al-Zubaidi"),
]
WESTERN = [
    "John Harris",
    "Sarah Mitchell",
    "David Collins",
    "Emma Clarke",
    "Peter Walsh",
    "Anna Novak",
    "Thomas Berger",
    "Claire Dubois",
    "Michael Turner",
    "Laura Bennett",
    "James O'Neill",
    "Hannah Schmidt",
]
PLACES = [
    ("الرقة", "Raqqa"),
    ("الموصل", "Mosul"),
    ("دير الزور", "Deir ez-Zor"),
    ("حلب", "Aleppo"),
    ("بغداد", "Baghdad"),
    ("الفلوجة", "Fallujah"),
    ("تلعفر", "Tal Afar"),
    ("منبج", "Manbij"),
    ("الحسكة", "Hasakah"),
    ("دمشق", "Damascus"),
    ("حمص", "Homs"),
    ("إدلب", "Idlib"),
    ("كركوك", "Kirkuk"),
    ("تكريت", "Tikrit"),
    ("الرمادي", "Ramadi"),
    ("تدمر", "Palmyra"),
    ("الميادين", "Mayadin"),
    ("البوكمال", "Abu Kamal"),
    ("غازي عنتاب", "Gaziantep"),
    ("إسطنبول", "Istanbul"),
    ("عمّان", "Amman"),
]
HIJRI_MONTHS = [
    ("محرم", "Muharram"),
    ("صفر", "Safar"),
    ("ربيع الأول", "Rabi al-Awwal"),
    ("ربيع الآخر", "Rabi al-Thani"),
    ("جمادى الأولى", "Jumada al-Ula"),
    ("جمادى الآخرة", "Jumada al-Akhira"),
    ("رجب", "Rajab"),
    ("شعبان", "Shaban"),
    ("رمضان", "Ramadan"),
    ("شوال", "Shawwal"),
    ("ذو القعدة", "Dhu al-Qada"),
    ("ذو الحجة", "Dhu al-Hijja"),
]
GREG_AR = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
GREG_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(frozen=True)
class Person:
    ar: str
    en: str

    def name(self, arabic: bool, rng: random.Random) -> str:
        if arabic:
            return self.ar
        if rng.random() < 0.05 and self.ar:
            return f"{self.en} ({self.ar})"  # English text quoting the Arabic spelling
        return self.en


@cache
def cast(size: int = 400, seed: int = 5) -> list[Person]:
    """A fixed cast of people, so the same names recur across documents."""
    rng = random.Random(seed)
    people = []
    for _ in range(size):
        if rng.random() < 0.06:
            people.append(Person("", rng.choice(WESTERN)))
            continue
        (g_ar, g_en), (f_ar, f_en), (n_ar, n_en) = (
            rng.choice(GIVEN[:28]),
            rng.choice(GIVEN[:28]),
            rng.choice(NISBA),
        )
        if rng.random() < 0.4:  # a kunya: Abu X al-Y
            people.append(Person(f"أبو {g_ar} {n_ar}", f"Abu {g_en} {n_en}"))
        elif rng.random() < 0.5:
            people.append(Person(f"{g_ar} {f_ar} {n_ar}", f"{g_en} {f_en} {n_en}"))
        else:
            people.append(Person(f"{g_ar} بن {f_ar} {n_ar}", f"{g_en} bin {f_en} {n_en}"))
    return people


def _digits(text: str, arabic: bool, rng: random.Random) -> str:
    return text.translate(_INDIC) if arabic and rng.random() < 0.5 else text


def date(rng: random.Random, arabic: bool) -> str:
    if rng.random() < 0.4:  # Hijri, 1435-1440
        y, m, d = rng.randint(1435, 1440), rng.randint(1, 12), rng.randint(1, 29)
        if arabic:
            form = rng.choice([f"{d} {HIJRI_MONTHS[m - 1][0]} {y} هـ", f"{y}/{m}/{d} هـ"])
            return _digits(form, arabic, rng)
        return f"{d} {HIJRI_MONTHS[m - 1][1]} {y} AH"
    y, m, d = rng.randint(2013, 2019), rng.randint(1, 12), rng.randint(1, 28)
    if arabic:
        form = rng.choice([f"{d} {GREG_AR[m - 1]} {y}", f"{d}/{m}/{y}", f"{y}-{m:02d}-{d:02d}"])
        return _digits(form, arabic, rng)
    return rng.choice([f"{d} {GREG_EN[m - 1]} {y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}"])


def amount(rng: random.Random, arabic: bool) -> str:
    n = rng.choice([rng.randint(1, 99) * 50, rng.randint(1, 400) * 1000])
    if arabic:
        unit = rng.choice(["دولار", "ليرة سورية", "دينار عراقي"])
        return _digits(f"{n:,}".replace(",", "٬" if rng.random() < 0.5 else ","), True, rng) + (
            f" {unit}"
        )
    return rng.choice([f"{n:,} USD", f"${n:,}", f"{n:,} Syrian pounds", f"{n:,} Iraqi dinars"])


def phone(rng: random.Random) -> str:
    return f"+{rng.choice(['963', '964', '90'])} {rng.randint(900, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def email(person: Person, rng: random.Random) -> str:
    local = re.sub(r"[^a-z]+", ".", person.en.lower()).strip(".")
    return f"{local}{rng.randint(1, 99)}@{rng.choice(['gmail.com', 'yahoo.com', 'mail.ru', 'protonmail.com'])}"


def clause(rng: random.Random, arabic: bool) -> str:
    """One sentence naming people, a place, a date and often an amount."""
    people = cast()
    a, b = rng.choice(people), rng.choice(people)
    pa, pb = a.name(arabic, rng), b.name(arabic, rng)
    if arabic and not pa:
        pa = rng.choice(GIVEN)[0]
    if arabic and not pb:
        pb = rng.choice(GIVEN)[0]
    place = rng.choice(PLACES)[0 if arabic else 1]
    when, money = date(rng, arabic), amount(rng, arabic)
    if arabic:
        forms = [
            f"وبتاريخ {when} استلم الأخ {pa} مبلغ {money} من مكتب {place}.",
            f"نرجو تحويل {money} إلى الأخ {pa} في {place} عن طريق {pb}.",
            f"وقد وصل {pa} إلى {place} في {when} برفقة {pb}.",
            f"اجتمع {pa} مع {pb} في {place} يوم {when}.",
            f"للتواصل مع {pa} على الرقم {phone(rng)}.",
        ]
    else:
        forms = [
            f"On {when}, {pa} received {money} from the {place} office.",
            f"Please transfer {money} to brother {pa} in {place} through {pb}.",
            f"{pa} arrived in {place} on {when} together with {pb}.",
            f"{pa} met {pb} in {place} on {when}.",
            f"{pa} can be reached on {phone(rng)} or at {email(a, rng)}.",
        ]
    return rng.choice(forms)


def paragraphs(rng: random.Random, arabic: bool, size: int) -> list[str]:
    """Paragraphs of about ``size`` bytes of UTF-8 text."""
    model = chain(arabic)
    out: list[str] = []
    total = 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            sentences.append(model.sentence(rng))
            if rng.random() < 0.4:
                sentences.append(clause(rng, arabic))
        para = " ".join(sentences)
        out.append(para)
        total += len(para.encode()) + 1
    return out


def title(rng: random.Random, arabic: bool) -> str:
    words = chain(arabic).sentence(rng, 4, 9).rstrip(".؟?!")
    return " ".join(words.split()[:8])
