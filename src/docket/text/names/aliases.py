"""Aliases in running text: a name and the alias a phrase gives it — "محمد الحسن المكنى
بأبي عبيدة", "الملقب بالذيب", "Mohammed al-Hassan, known as Abu Ubayda", "a.k.a.",
"nom de guerre" — and the kunyas too common to tell anyone apart (أبو علي, Abu Muhammad).

Part of the one name lexicon (``lexicon``): the cue words are kept here, beside it, and
names are read with the one parser's ``read_chain`` (Arabic) or from capitalised words
and the lexicon's particles (Latin). ``find`` is pure: offsets are into the text given.

A cue is read as the alias's when a name stands right before it ("X المكنى ب Y": Y is
X's kunya); "المدعو" with nothing before it only introduces a name and gives no alias.
The "real name" cues (``اسمه الحقيقي``, "whose real name is") run the other way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from docket.text.names import lexicon as lx
from docket.text.names.parser import read_chain
from docket.text.names.tokens import Token, tokenize

# One-word Arabic cues (normalised), with or without و: the alias follows, its first
# word often carrying the preposition ب ("بأبي عبيدة", "بالذيب", "بـ أبي عبيدة").
AR_CUES = lx.word_set(
    "المكنى المكنا الملقب المعروف المدعو الشهير المشهور المكني ويكنى يكنى ويلقب يلقب "
    "ويعرف يعرف ويدعى يدعى"
)
# Two-word Arabic cues: a nom de guerre ("اسمه الحركي") and a real name, which runs back.
AR_PAIR_CUES = {lx.norm("الحركي"): "forward", lx.norm("الحقيقي"): "reverse"}
AR_PAIR_HEADS = lx.word_set("اسمه واسمه الاسم واسمها اسمها")
AR_SKIP = lx.word_set("باسم بإسم ب بـ بلقب بكنية هو")  # between a cue and the alias

EN_CUE = re.compile(
    r"(?:,\s*|\(\s*|\s+)(?P<cue>(?:also\s+|better\s+|commonly\s+)?known\s+as|a\.?k\.?a\.?"
    r"|alias|(?:whose\s+|his\s+|her\s+)?nom[\s-]+de[\s-]+guerre(?:\s+is|\s+was)?|nicknamed"
    r"|(?:whose\s+|his\s+|her\s+)?real\s+name(?:\s+is|\s+was)?|born)(?!\w)[\s:,\"“'(]*",
    re.IGNORECASE,
)
_EN_WORD = re.compile(r"[A-Za-z][\w'’]*(?:-[\w'’]+)*\.?")
_SPACE = re.compile(r"\s")
_EN_LOWER_OK = lx.ARTICLES | lx.NASAB_LINKS | lx.KUNYA_HEADS | lx.KUNYA_HEADS_WITH_ARTICLE
_EN_NOT_NAME = lx.word_set(
    "the a an in on at and but or he she his her they we i it this that from to dear of for "
    "by with was is"
)
MAX_WORDS = 6

# Given names so common as a kunya's second half that a bare kunya of them names no one
# in particular ("Abu Muhammad", "أبو علي"): such a kunya alone is never an alias.
COMMON_KUNYA_NAMES = (
    "محمد أحمد علي عمر عبدالله عبد الله خالد حسن حسين إبراهيم يوسف محمود مصطفى بكر "
    "عبدالرحمن عبد الرحمن حمزة عثمان سعيد صالح يحيى إسماعيل موسى عيسى جعفر عبيدة "
    "Muhammad Mohammed Mohammad Mohamed Ahmad Ahmed Ali Omar Umar Abdullah Abdallah "
    "Khalid Khaled Hassan Hasan Hussein Husayn Hussain Ibrahim Yusuf Youssef Yousef "
    "Mahmoud Mahmud Mustafa Mostafa Bakr Bakir Abdulrahman Hamza Uthman Othman Said "
    "Saeed Salih Saleh Yahya Ismail Musa Isa Jafar Jaafar Ubayda Ubaida Obaida"
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A name and its alias as one phrase states them; offsets into the text given."""

    name: str
    name_start: int
    name_end: int
    alias: str
    alias_start: int
    alias_end: int
    cue: str  # the cue as written ("المكنى", "a.k.a.")


def find(text: str) -> list[Phrase]:
    """Every name ↔ alias phrase in ``text``, Arabic and English."""
    return _arabic(text) + _english(text)


def _arabic(text: str) -> list[Phrase]:
    tokens = tokenize(text)
    out: list[Phrase] = []
    for c, tok in enumerate(tokens):
        direction, end = "", c + 1
        if tok.norm in AR_CUES:
            direction = "forward"
        elif tok.norm in AR_PAIR_CUES and c > 0 and tokens[c - 1].norm in AR_PAIR_HEADS:
            direction, c = AR_PAIR_CUES[tok.norm], c - 1
        if not direction:
            continue
        before = _arabic_before(tokens, c)
        after = _arabic_after(text, tokens, end)
        if before is None or after is None:
            continue
        cue = text[tokens[c].start : tokens[end - 1].end]
        name, alias = (before, after) if direction == "forward" else (after, before)
        out.append(Phrase(text[name[0] : name[1]], *name, text[alias[0] : alias[1]], *alias, cue))
    return out


def _arabic_before(tokens: list[Token], c: int) -> tuple[int, int] | None:
    """The name ending right before token ``c`` (the longest ``read_chain`` that does)."""
    if c == 0 or (not tokens[c].joined and not _only_comma(tokens, c)):
        return None
    head = tokens[:c]
    for i in range(max(0, c - MAX_WORDS), c):
        chain = read_chain(head, i)
        # The chain may stop one word short: a family name read_chain cannot tell from
        # a noun without what follows ("محمد عبد الكريم الحسن").
        last = head[c - 1].norm
        if chain is not None and (
            chain.end == c or (chain.end == c - 1 and last not in lx.STOP and len(last) > 2)
        ):
            return head[chain.start].start, head[c - 1].end
    return None


def _only_comma(tokens: list[Token], c: int) -> bool:
    return c > 0 and tokens[c].start - tokens[c - 1].end <= 3


def _arabic_after(text: str, tokens: list[Token], j: int) -> tuple[int, int] | None:
    """The alias right after a cue ending before token ``j``: a name ``read_chain``
    reads, else one word (a laqab: "الذيب")."""
    while j < len(tokens) and tokens[j].norm.strip("ـ") in AR_SKIP:
        j += 1
    if j >= len(tokens) or tokens[j].start - tokens[j - 1].end > 3:
        return None
    first = tokens[j]
    bare = first.norm.lstrip("ب").lstrip("ـ") if first.norm.startswith("ب") else first.norm
    cut = len(first.text) - len(first.text.lstrip("بـ")) if bare != first.norm else 0
    if cut and not (bare in lx.KUNYA_HEADS or bare.startswith("ال") or bare in lx.given_names()):
        cut, bare = 0, first.norm  # a name that starts with ب (بكر, بلال)
    shifted = [
        *tokens[:j],
        Token(first.text[cut:], first.start + cut, first.end, bare, first.joined),
        *tokens[j + 1 :],
    ]
    chain = read_chain(shifted, j)
    if chain is not None:
        end = chain.end
        # A kunya with a laqab read_chain does not take ("أبو أنس المهاجر"): one more
        # word with the article, joined, that is no function word and no other cue.
        if (
            chain.parts.kunya
            and not chain.parts.nisba
            and end < len(shifted)
            and shifted[end].joined
            and shifted[end].norm.startswith("ال")
            and len(shifted[end].norm) > 3
            and shifted[end].norm not in lx.STOP | lx.NOT_NISBA | AR_CUES
        ):
            end += 1
        return shifted[j].start, shifted[end - 1].end
    if bare in lx.STOP or len(bare) < 3:
        return None
    return shifted[j].start, shifted[j].end


def _english(text: str) -> list[Phrase]:
    out: list[Phrase] = []
    for m in EN_CUE.finditer(text):
        cue = m.group("cue")
        before = _english_run(text, m.start(), backwards=True)
        after = _english_run(text, m.end(), backwards=False)
        if before is None or after is None:
            continue
        reverse = re.search(r"real\s+name|born", cue, re.IGNORECASE) is not None
        name, alias = (after, before) if reverse else (before, after)
        out.append(Phrase(text[name[0] : name[1]], *name, text[alias[0] : alias[1]], *alias, cue))
    return out


def _last_words(text: str, at: int, n: int) -> list[re.Match[str]]:
    """The last ``n`` words of ``text[:at]`` as ``_EN_WORD`` finds them reading it all,
    read from a whitespace not far before ``at`` (no word runs across one)."""
    size = 64 * n
    while True:
        space = _SPACE.search(text, max(0, at - size), at) if size < at else None
        words = list(_EN_WORD.finditer(text, space.end() if space else 0, at))
        if len(words) >= n or space is None:
            return words[-n:]
        size *= 2


def _english_run(text: str, at: int, backwards: bool) -> tuple[int, int] | None:
    """Capitalised name words (and the lexicon's particles) next to ``at``."""
    if backwards:
        words = _last_words(text, at, MAX_WORDS + 2)
        words.reverse()
    else:
        words = list(islice(_EN_WORD.finditer(text[at:]), MAX_WORDS + 2))
    picked: list[re.Match[str]] = []
    prev = at if backwards else 0
    for w in words[: MAX_WORDS + 2]:
        gap = text[w.end() : prev] if backwards else text[at + prev : at + w.start()]
        if gap.strip(" -") or (not picked and gap.strip(" ")):
            break
        word = w.group().rstrip(".")
        low = word.lower()
        if not (word[:1].isupper() or low in _EN_LOWER_OK or low.split("-")[0] in _EN_LOWER_OK):
            break
        if low in _EN_NOT_NAME:
            break
        picked.append(w)
        prev = w.start() if backwards else w.end()
    end = 0 if backwards else -1  # a name does not end on "al" or "bin"
    while picked and picked[end].group().lower().rstrip(".") in _EN_LOWER_OK:
        picked.pop(end)
    if not picked or all(p.group().lower().rstrip(".") in _EN_LOWER_OK for p in picked):
        return None
    if backwards:
        return picked[-1].start(), picked[0].end() - (1 if picked[0].group().endswith(".") else 0)
    last = picked[-1]
    return at + picked[0].start(), at + last.end() - (1 if last.group().endswith(".") else 0)
