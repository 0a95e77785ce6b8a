"""Cross-script keys: a phonetic skeleton shared by Arabic-script words and their Latin
spellings, so ``Nuaimi`` finds ``النعيمي`` and ``النعيمي`` finds ``al-Noaimy``.

The skeleton keeps consonant classes in order and drops what the two scripts write
differently: vowels (Arabic leaves short ones out, Latin spellings disagree on them), the
article, ayn and hamza (often unwritten in Latin), doubled letters, a final ``h`` / ة.
Letters Latin spellings confuse share a class: ت ط ث / t th; د ض ذ ظ / d dh; س ص ش /
ز / s sh ch z (Latin writes ز for an s between vowels, Amoruso / أموروزو); ح ه خ / h kh; ك ق / k q c; ج غ / g j gh; ف / f ph v; ب / b p.
A letter repeated across a vowel stays twice (``Bibi`` / بيبي is ``bb``); only letters
side by side merge (Latin ``mm``, ``ss``), and an Arabic letter written twice is read
both ways (الله: Abdullah).

Spellings that go either way give one more key each (``variants``): ث as s, ذ as z, ق as
g, خ as g or k; Latin ``j`` as y or kh (Spanish: José / خوسيه), ``v``/``w`` as each other
(Walter / فالتر), ``zh``/``cz`` as ج / ش, ``z`` as ts (Mazzini / ماتزيني), ``ts`` as s, a
silent ``gh``, French silent finals (Girard / جيرار), German lengthening ``h`` (Stahl /
ستال), French ``ou`` for و (Ouazzani), an initial i or e before a vowel as ي (Iago / ياغو);
a compound's article swallowed by a sun letter (نورالدين, Nureddin), a final ه that is
said (نبيه, Nabih). Latin letters with diacritics are read as their base letters
(Schröder).

A word with fewer than two consonants (Edo / إيدو) gets a *shape* key instead, with
``_`` for each run of vowels (``_d_``), so short names still cross; common Arabic
function words (من, على, هذا …: ``xscript_rules.AR_STOP``) get no key at all, since
they would match names (Amin, Ali, Hadi) in every Arabic document.

An Arabic-script *query* word also looks up the skeletons of its spellings by
``arabic-name-romanizer`` (``xscript_roman``); documents are keyed by the rules alone.

Beside its skeletons a word gets finer keys, which only rank (``Reading``): a *gap* key
for each gap around its consonants (before the first, between two, after the last) saying
what stands there, nothing (``.``) or vowels of a quality (a; e, i, y: i; o, u, w: u;
``_`` ayn or hamza; ``*`` any: an initial alef, a taa marbuta), one by one and as a whole
run (capitals); and, for the classes of several letters (t d s h k g), a *fine* key for
each consonant naming its own letter (ش is not س, ث not ت). A query (``query_plan``)
looks up, for each of its readings, the key (1; a reading from an ambiguous spelling
``VARIANT``) and beside it each gap's and consonant's keys, weighed by how well they agree
with its own: a Latin vowel where the Arabic writes none costs little (Arabic leaves short
vowels out, but not at a word's start), a long vowel where the Latin has none earns
nothing, a Latin ``s`` against ز earns less than against س (``xscript_rules.FINE_MATCH``).
So Firmin finds فيرمين and فريمان by the skeleton, and فيرمين first; Hesham finds هشام
before هاشم, Saba سابا before زابا. The score is the weights' sum (tantivy's constant
scores), not BM25: a long document and a short one holding the name score alike, and a
name written with the article is not pushed down by its longer list of keys.

Name words are read as written (``name_words``, ``word_tokens``): an apostrophe inside a
name joins its sides (O'Donnell, Ja'far), a final ى stays (it says a: سلمى, Salma) and the
g of Persian and Maghrebi spellings (گ, ڨ) stays a g, where search folding makes them ي
and ك.

A key is prefixed with the script it came from (``a:`` or ``l:``) and a query looks up
the other script only: the key is for crossing scripts, not for fuzzy spelling within
one.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from docket.text.names.lexicon import ARTICLES
from docket.text.normalize import MARKS, fold_word, words
from docket.text.scripts import script_any
from docket.text.xscript_roman import spellings
from docket.text.xscript_rules import (
    AR_FINE,
    AR_STOP,
    AR_VARIANTS,
    AR_VOWELISH,
    FINE_CLASS,
    FINE_MATCH,
    LATIN_DIGRAPHS,
    LATIN_FINE,
    LATIN_VARIANTS,
)

MIN_CONSONANTS = 2
VOWEL = "_"
VOWELS = frozenset("_aiue*")  # a vowel: of no known quality, a, i, u, a final e, or any
_ANY_VOWEL = re.compile(r"[_aiue*]")
SPLIT_CLASSES = frozenset("tdshkg")  # classes of several fine letters
_AR_QUALITY = {"ا": "a", "ي": "i", "و": "u", "ع": "_", "ء": "_", "ئ": "i", "ؤ": "u", "ى": "ai"}
_LATIN_QUALITY = {"a": "a", "e": "i", "i": "i", "o": "u", "u": "u", "y": "i", "w": "u"}

_LATIN_VARIANTS = [(re.compile(p), r) for p, r in LATIN_VARIANTS]
_TWICE = re.compile(r"(.)\1")
# The article inside a compound, before a "sun" letter that swallows its ل: نورالدين is
# Nur-ed-Din, عبدالرحمن Abdurrahman.
_INNER_SUN = re.compile(r"(?<=.)ال(?=[تثدذرزسشصضطظلن])")
_LATIN_EXTRA = str.maketrans({"æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"})  # fmt: skip


def ascii_latin(token: str) -> str:
    """A folded Latin token in plain a-z: diacritics off, æ ø ł ı … as base letters."""
    token = unicodedata.normalize("NFKD", token.translate(_LATIN_EXTRA))
    return "".join(c for c in token if "a" <= c <= "z" or c == "'")


def skeleton(token: str) -> str:
    """The consonant skeleton of one folded token, in either script."""
    kind = script_any(token)
    if kind == "a":
        return _consonants(_arabic(token))
    if kind == "l":
        return _consonants(_latin(ascii_latin(token)))
    return ""


def variants(token: str) -> list[str]:
    """The token's keys without prefix, most likely first: skeletons of its ambiguous
    spellings, or shapes (``_k_``) when it has fewer than two consonants."""
    return [r.key for r in readings(token)]


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a token: its key (a skeleton, or a short word's shape), its
    consonant classes, what stands in each gap around them (before the first, between
    two, after the last: ``""`` nothing, else the qualities of the vowels written there)
    and each consonant's fine letters (``xscript_rules.AR_FINE``)."""

    key: str
    consonants: str
    gaps: tuple[str, ...]
    fines: tuple[str, ...]

    def gap_keys(self) -> list[str]:
        """One key per gap and quality: the consonants with the gap marked ``.`` when
        empty, else by all the qualities written there in capitals (``slfIn``: the run
        is that and no more) and, when they are several, by each (``slfin``)."""
        c = self.consonants
        out: list[str] = []
        for i, gap in enumerate(self.gaps):
            whole = _whole(gap)
            marks = "." if not gap else [whole] if len(gap) == 1 and whole else [*gap, whole]
            out.extend(c[:i] + mark + c[i:] for mark in marks if mark)
        return out

    def fine_keys(self) -> list[str]:
        """One key per consonant and fine letter: ``=S`` in its place (``=Slfn``); only
        for the classes of several letters (t d s h k g), where it tells them apart."""
        c = self.consonants
        return [
            c[:i] + "=" + f + c[i + 1 :]
            for i, fs in enumerate(self.fines)
            if c[i] in SPLIT_CLASSES
            for f in fs
        ]


def _whole(gap: str) -> str:
    """The mark of a gap's whole run of vowels: its qualities in capitals ("" when that
    says no more than the qualities' own marks: ``_``, ``*``)."""
    whole = gap.upper()
    return "" if whole == gap else whole


@lru_cache(maxsize=262_144)
def readings(token: str) -> tuple[Reading, ...]:
    """The readings of one folded token, most likely first: as written, then each of
    its ambiguous spellings (a reading with an already-seen key is left out)."""
    kind = script_any(token)
    if kind is None:
        return ()
    if kind == "a":
        forms = [token] + [token.replace(a, b) for a, b in AR_VARIANTS if a in token]
        if _TWICE.search(token):
            forms.append(_TWICE.sub(r"\1", token))  # a letter written twice, read once: الله
        if len(token) >= 3 and token[-1] == "ه" and token[-2] in "ايو":
            forms.append(token[:-1] + "ح")  # a final ه that is said: نبيه, Nabih; شاه, Shah
        if _INNER_SUN.search(token):
            forms.append(_INNER_SUN.sub("", token))  # نورالدين, Nureddin: the ل is not said
        units = [_arabic(f) for f in forms]
    else:
        token = ascii_latin(token).replace("'", "")
        units = [_latin(f) for f in _latin_forms(token)]
    return _read(units, len(token))


def _latin_forms(token: str) -> list[str]:
    """A plain a-z token and its spellings by each of ``LATIN_VARIANTS``."""
    forms = [token]
    for pattern, repl in _LATIN_VARIANTS:
        form = pattern.sub(repl, token)
        if form != token:
            forms.append(form)
    return forms


def _read(units: list[str], length: int) -> tuple[Reading, ...]:
    out: list[Reading] = []
    for u in units:
        skel = _consonants(u)
        key = skel
        if len(skel) < MIN_CONSONANTS:
            key = _shape(u) if length >= 3 and skel else ""
        if key and all(r.key != key for r in out):
            out.append(Reading(key, skel, *_structure(u)))
    return tuple(out)


def _structure(units: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What stands in each gap of the consonant skeleton of ``units`` (the vowels'
    qualities, each once, or ``""``) and each consonant's fine letters (two when
    letters of one class side by side merge)."""
    gaps = [""]
    fines: list[str] = []
    prev = ""
    for u in units:
        if u in VOWELS:
            if u not in gaps[-1]:
                gaps[-1] += u
        elif prev and u.translate(FINE_CLASS) == prev.translate(FINE_CLASS):
            if u not in fines[-1]:
                fines[-1] += u
        else:
            gaps.append("")
            fines.append(u)
        prev = u
    return tuple(gaps), tuple(fines)


def _arabic(tok: str) -> str:
    """Consonant classes and vowels of an Arabic-script token; each vowel by its quality
    (``a`` ا, ``i`` ي, ``u`` و; ``_`` ayn, hamza or the short vowel between a letter
    written twice; ``*`` any: an initial alef, a final taa marbuta)."""
    tok = tok.replace("تش", "ش")  # how Arabic writes ch (Chadwick / تشادويك)
    end = ""
    if tok.endswith("ه") and len(tok) > 2:  # taa marbuta (folded to ه) is a vowel
        tok, end = tok[:-1], "*"
    carrier = tok[:2] in ("اي", "او")  # an initial alef only carries the vowel: إيدو, Edo
    out = []
    for i, ch in enumerate(tok):
        if ch in AR_VOWELISH and not (i == 0 and ch in "وي"):
            # long vowels, ayn, hamza; initial و / ي are w, y
            out.append(("" if carrier else "*") if i == 0 and ch == "ا" else _AR_QUALITY[ch])
        elif cls := AR_FINE.get(ch):
            if i and tok[i - 1] == ch:
                out.append(VOWEL)  # a letter written twice has a short vowel between
            out.append(cls)
    return "".join(out) + end


def _latin(tok: str) -> str:
    """Consonant classes and vowels (by quality: ``a``; ``e i y``: ``i``; ``o u w``: ``u``)
    of a plain a-z token."""
    tok = tok.replace("'", "")
    if len(tok) > 2 and tok.endswith("h") and tok[-2] in "aeiou":
        tok = tok[:-1]  # Fatimah, Hamzah: the h writes taa marbuta
    tok = tok.replace("x", "ks").replace("dt", "t")
    tok = re.sub(r"cc(?=[ei])", "ch", tok)  # Italian: Bartolucci / بارتولوتشي
    for src, dst in LATIN_DIGRAPHS:
        tok = tok.replace(src, dst)
    tok = re.sub(r"c(?=[eiy])", "s", tok).replace("c", "k")
    out = []
    last = len(tok) - 1
    for i, ch in enumerate(tok):
        if ch == "e" and i == last > 1 and tok[i - 1] not in "aeiouwy":
            out.append("e")  # a final e, often silent (Emile / إميل)
        elif ch in "aeiou" or (ch in "wy" and i > 0):
            out.append(_LATIN_QUALITY[ch])
        elif ch in LATIN_FINE:
            out.append(ch)
    return "".join(out)


def _consonants(units: str) -> str:
    """The skeleton: classes in order; classes side by side merge, vowels drop."""
    out: list[str] = []
    prev = ""
    for u in units.translate(FINE_CLASS):
        if u not in VOWELS and u != prev:
            out.append(u)
        prev = u
    return "".join(out)


def _shape(units: str) -> str:
    """Classes with each run of vowels as one ``_``: the key of a short word."""
    return re.sub(r"(.)\1+", r"\1", _ANY_VOWEL.sub(VOWEL, units.translate(FINE_CLASS)))


@lru_cache(maxsize=262_144)
def token_keys(token: str) -> tuple[str, ...]:
    """``a:…`` / ``l:…`` index keys of a folded token, then its gap keys (``ag:…`` /
    ``lg:…``) and the fine keys of its readings as written (``af:…`` / ``lf:…``); none
    when it carries too little. Cached: words repeat, and every Arabic
    and capitalised word of an item is keyed.

    An Arabic word starting with ال gets keys with and without the article: ``الترس``
    may be al-Tirs or Alters, and ``إلماندر`` is Elmander."""
    kind = script_any(token)
    if kind is None or _common(token):
        return ()
    forms = [token]
    if kind == "a" and token.startswith("ال") and len(token) >= 4:
        forms.insert(0, token[2:])
    found = [readings(form) for form in forms]
    out = dict.fromkeys(f"{kind}:{r.key}" for rs in found for r in rs)
    for rs in found:
        for i, r in enumerate(rs):
            out.update(dict.fromkeys(f"{kind}g:{g}" for g in r.gap_keys()))
            if i == 0:  # a letter's own sound is the spelling's as written
                out.update(dict.fromkeys(f"{kind}f:{f}" for f in r.fine_keys()))
    return tuple(out)


def shape(token: str) -> str:
    """A token's consonant classes with each run of vowels as ``_`` (Firmin and فيرمين
    are ``f_rm_n``, فريمان is ``fr_m_n``)."""
    kind = script_any(token)
    units = _arabic(token) if kind == "a" else _latin(ascii_latin(token).replace("'", ""))
    return _shape(units)


# How much a gap of the query's reading earns a document whose reading has the same
# consonants, by what each writes there (``.``: nothing; a, i, u: a vowel of that
# quality; ``_``: ayn or hamza; ``*``: a vowel of any quality). Arabic leaves short
# vowels out, so a Latin vowel where the Arabic has none costs a little; a long vowel
# where the Latin writes none is the reading's real disagreement, and earns nothing.
SAME = 1.0  # both write nothing, or vowels of one quality
SHORT = 0.8  # the Latin writes a vowel the Arabic leaves out
OTHER_VOWEL = 0.25  # both write a vowel, of other qualities
ANY_VOWEL = 0.75  # a vowel against one of any quality
RUN = 0.25  # more for the same run of vowels, no more and no less
GAPS = 1.0  # the most all the gaps of a reading earn together
FINES = 0.5  # the most all its consonants' fine letters earn together
VARIANT = 0.8  # a reading other than the first (an ambiguous spelling) is worth this
ROMANISED = 0.8  # a romanised spelling of an Arabic query word

Part = tuple[tuple[str, float], ...]  # keys that rank one gap or consonant, each weighed


@dataclass(frozen=True, slots=True)
class Lookup:
    """A key to look up for one reading of a query word, with its weight, and the parts
    that rank the documents it finds: for each gap and each consonant of the reading,
    the keys to look up beside it, with theirs (a document earns the best of a part)."""

    key: str
    weight: float
    parts: tuple[Part, ...]


def _gap_lookups(r: Reading, rule: str) -> list[Part]:
    """What each gap of the query reading ``r`` looks up: ``rule`` ``l`` a Latin query
    in Arabic documents, ``a`` an Arabic one in Latin documents, ``r`` a Latin spelling
    in Latin documents."""
    c, n = r.consonants, len(r.gaps)
    out = []
    for i, gap in enumerate(r.gaps):
        # Arabic leaves out short vowels, but not at the start of a word, and seldom at
        # its end; a Latin final e is often not said at all.
        short = 0.0 if i == 0 else SHORT if i < n - 1 else OTHER_VOWEL
        marks: dict[str, float] = {}
        if not gap:
            marks["."] = SAME
            if rule == "a":
                marks.update(dict.fromkeys("aiu", short))
                marks["e"] = SAME if i == n - 1 else short
        elif rule == "l" and gap == "e":
            marks.update({".": SAME, "*": SAME, "i": ANY_VOWEL, "a": OTHER_VOWEL})
        elif rule == "l":
            marks["."] = short
            for m in "aiu_*":
                marks[m] = SAME if m in gap else ANY_VOWEL if m in "_*" else OTHER_VOWEL
        else:
            anyq = "*" in gap or (rule == "a" and gap == "_")
            for m in "aiue":
                marks[m] = SAME if m in gap else ANY_VOWEL if anyq or m == "e" else OTHER_VOWEL
        for m in [m for m in marks if m in "aiue"]:
            marks[m.upper()] = marks[m]  # a document's run of that quality alone
        if whole := _whole(gap):
            marks[whole] = SAME + RUN
        out.append(tuple((c[:i] + m + c[i:], w * GAPS / n) for m, w in marks.items()))
    return out


def _fine_lookups(r: Reading, rule: str) -> list[Part]:
    """What each consonant of the query reading ``r`` looks up: the other script's fine
    letters of its class, weighed by ``FINE_MATCH`` (the same letter 1 in ``r``)."""
    c, n = r.consonants, len(r.fines)
    out = []
    for i, fines in enumerate(r.fines):
        if c[i] not in SPLIT_CLASSES:
            continue  # one letter in either script: the key says it already
        marks: dict[str, float] = {}
        for f in fines:
            pairs: list[tuple[str, float]] = [(f, 1.0)]
            if rule == "l":
                pairs = list(FINE_MATCH.get(f, {f: 1.0}).items())
            elif rule == "a":
                pairs = [(lat, m[f]) for lat, m in FINE_MATCH.items() if f in m] or pairs
            for m, w in pairs:
                marks[m] = max(marks.get(m, 0.0), w)
        out.append(tuple((f"{c[:i]}={m}{c[i + 1 :]}", w * FINES / n) for m, w in marks.items()))
    return out


def _lookup(r: Reading, weight: float, script: str, rule: str) -> Lookup:
    gaps = [tuple((f"{script}g:{k}", w) for k, w in p) for p in _gap_lookups(r, rule)]
    fines = [tuple((f"{script}f:{k}", w) for k, w in p) for p in _fine_lookups(r, rule)]
    return Lookup(f"{script}:{r.key}", weight, tuple(gaps + fines))


@lru_cache(maxsize=4096)
def query_plan(token: str) -> tuple[Lookup, ...]:
    """What a query token looks up in the other script: each reading's key with its
    weight (the first reading 1, the others ``VARIANT``) and its gap and fine keys,
    which only rank; for an Arabic-script word the first readings of its romanised
    spellings (``xscript_roman``) too, at ``ROMANISED``."""
    kind = script_any(token)
    if kind is None or _common(token):
        return ()
    other = "l" if kind == "a" else "a"
    forms = [token]
    if kind == "a" and token.startswith("ال") and len(token) >= 4:
        forms.insert(0, token[2:])
    out: dict[str, Lookup] = {}
    for form in forms:
        for i, r in enumerate(readings(form)):
            if f"{other}:{r.key}" not in out:
                out[f"{other}:{r.key}"] = _lookup(r, 1.0 if i == 0 else VARIANT, other, kind)
    if out and kind == "a":
        for word in spellings(token):
            for r in readings(word)[:1]:  # the spelling as given, not its variants
                if f"l:{r.key}" not in out:
                    out[f"l:{r.key}"] = _lookup(r, ROMANISED, "l", "r")
    return tuple(out.values())


def query_keys(token: str) -> list[str]:
    """The keys a query token looks up (not its gap keys): its skeletons in the other
    script, and for an Arabic-script word those of its romanised spellings too."""
    return [lookup.key for lookup in query_plan(token)]


def keys(word: str) -> list[str]:
    """Index keys for a word as written (not folded)."""
    return [k for t in word_tokens(word) for k in token_keys(t)]


# An apostrophe inside a name joins its two sides (O'Donnell, D'Alema, Ja'far: أودونيل,
# داليما, جعفر); not before an English ending (Nuaimi's, don't, we'll). The apostrophe
# comes first in the pattern, the letter before it checked behind: the engine then skips
# to each apostrophe (a leading look-behind was tried at every character, 0.18 ms of an
# 8 KB item against 0.02).
_INNER_APOSTROPHE = re.compile(r"['’‘ʼ`](?<=[^\W\d_]['’‘ʼ`])(?=[^\W\d_])(?!(?:s|t|ll|re|ve|m)\b)")
_MARKS = re.compile(MARKS)


# What a word that may be a name does not start with: lower-case English is not names.
NOT_NAME_INITIALS = string.ascii_lowercase + string.digits


def name_words(text: str, skip: str = "") -> list[str]:
    """The words of ``text`` as written, as names are keyed: ``normalize.words`` with
    an apostrophe inside a name joining its two sides (those starting with one of
    ``skip`` left out: ``NOT_NAME_INITIALS``, only the words that may be names)."""
    if "'" in text or "’" in text:
        text = _INNER_APOSTROPHE.sub("", text)
    return words(text, skip)


_G = str.maketrans("گڨ", "ڭڭ")
_SEARCH_FOLDED = str.maketrans("ىڭ", "يك")  # what word_tokens keeps, as search folds it


def _common(token: str) -> bool:
    """An article or a common Arabic function word: no keys."""
    token = token.translate(_SEARCH_FOLDED)
    return token in ARTICLES or token in AR_STOP


@lru_cache(maxsize=262_144)
def word_tokens(word: str) -> tuple[str, ...]:
    """The folded tokens of one word as written, as names are keyed: ``fold_word``'s,
    but a final ى stays (it says a, مصطفى / Mustafa, where ي says i), and the g of
    Persian and Maghrebi spellings (گ, ڨ), which search folds to ك, stays a g (ڭ)."""
    toks = fold_word(word.translate(_G))
    if toks and toks[-1].endswith("ي") and _MARKS.sub("", word).endswith("ى"):
        toks = (*toks[:-1], toks[-1][:-1] + "ى")
    return toks
