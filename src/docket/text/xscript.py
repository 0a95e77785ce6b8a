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
silent ``gh``, French silent finals (Girard / جيرار). Latin letters with diacritics are
read as their base letters (Schröder).

A word with fewer than two consonants (Edo / إيدو) gets a *shape* key instead, with
``_`` for each run of vowels (``_d_``), so short names still cross; common Arabic
function words (من, على, هذا …: ``xscript_rules.AR_STOP``) get no key at all, since
they would match names (Amin, Ali, Hadi) in every Arabic document.

An Arabic-script *query* word also looks up the skeletons of its spellings by
``arabic-name-romanizer`` (``xscript_roman``); documents are keyed by the rules alone.

Beside its skeletons a word gets two finer keys, which only rank: its ``shape`` (the
consonant classes with each vowel run as ``_``, prefix ``as:`` / ``ls:``) and its vowel
``quality`` (each run as a, i or u, prefix ``aq:`` / ``lq:``). A query for Firmin finds
فيرمين and فريمان by the skeleton, and فيرمين first because it also shares the shape.

A key is prefixed with the script it came from (``a:`` or ``l:``) and a query looks up
the other script only: the key is for crossing scripts, not for fuzzy spelling within
one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from docket.text.names.lexicon import ARTICLES
from docket.text.normalize import tokens
from docket.text.scripts import script_any
from docket.text.xscript_roman import spellings
from docket.text.xscript_rules import (
    AR_CLASS,
    AR_STOP,
    AR_VARIANTS,
    AR_VOWELISH,
    LATIN_CLASS,
    LATIN_DIGRAPHS,
    LATIN_VARIANTS,
)

MIN_CONSONANTS = 2
VOWEL = "_"

_LATIN_VARIANTS = [(re.compile(p), r) for p, r in LATIN_VARIANTS]
_TWICE = re.compile(r"(.)\1")
_OTHER = {
    "a:": "l:",
    "l:": "a:",
    "as:": "ls:",
    "ls:": "as:",
    "aq:": "lq:",
    "lq:": "aq:",
}  # a key in the other script
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
    kind = script_any(token)
    if kind is None:
        return []
    if kind == "a":
        forms = [token] + [token.replace(a, b) for a, b in AR_VARIANTS if a in token]
        if _TWICE.search(token):
            forms.append(_TWICE.sub(r"\1", token))  # a letter written twice, read once: الله
        units = [_arabic(f) for f in forms]
    else:
        token = ascii_latin(token).replace("'", "")
        forms = [token]
        for pattern, repl in _LATIN_VARIANTS:
            form = pattern.sub(repl, token)
            if form != token:
                forms.append(form)
        units = [_latin(f) for f in forms]
    out: list[str] = []
    for u in units:
        skel = _consonants(u)
        if len(skel) < MIN_CONSONANTS:
            skel = _shape(u) if len(token) >= 3 and skel else ""
        if skel and skel not in out:
            out.append(skel)
    return out


def _arabic(tok: str) -> str:
    """Consonant classes and vowel marks (``_``) of an Arabic-script token."""
    tok = tok.replace("تش", "ش")  # how Arabic writes ch (Chadwick / تشادويك)
    if tok.endswith("ه") and len(tok) > 2:  # taa marbuta (folded to ه) is a vowel
        tok = tok[:-1]
    out = []
    for i, ch in enumerate(tok):
        if ch in AR_VOWELISH and not (i == 0 and ch in "وي"):
            out.append(VOWEL)  # long vowels, ayn, hamza; initial و / ي are w, y
        elif cls := AR_CLASS.get(ch):
            if i and tok[i - 1] == ch:
                out.append(VOWEL)  # a letter written twice has a short vowel between
            out.append(cls)
    return "".join(out)


def _latin(tok: str) -> str:
    """Consonant classes and vowel marks (``_``) of a plain a-z token."""
    tok = tok.replace("'", "")
    if len(tok) > 2 and tok.endswith("h") and tok[-2] in "aeiou":
        tok = tok[:-1]  # Fatimah, Hamzah: the h writes taa marbuta
    tok = tok.replace("x", "ks").replace("dt", "t")
    tok = re.sub(r"cc(?=[ei])", "ch", tok)  # Italian: Bartolucci / بارتولوتشي
    for src, dst in LATIN_DIGRAPHS:
        tok = tok.replace(src, dst)
    tok = re.sub(r"c(?=[eiy])", "s", tok).replace("c", "k")
    out = []
    for i, ch in enumerate(tok):
        if ch in "aeiou" or (ch in "wy" and i > 0):
            out.append(VOWEL)
        elif cls := LATIN_CLASS.get(ch):
            out.append(cls)
    return "".join(out)


def _consonants(units: str) -> str:
    """The skeleton: classes in order; classes side by side merge, vowels drop."""
    out: list[str] = []
    prev = ""
    for u in units:
        if u != VOWEL and u != prev:
            out.append(u)
        prev = u
    return "".join(out)


def _shape(units: str) -> str:
    """Classes with each run of vowels as one ``_``: the key of a short word."""
    return re.sub(r"(.)\1+", r"\1", units)


@lru_cache(maxsize=262_144)
def token_keys(token: str) -> tuple[str, ...]:
    """``a:…`` / ``l:…`` index keys of a folded token; none when it carries too little.
    Cached: words repeat, and every Arabic and capitalised word of an item is keyed.

    An Arabic word starting with ال gets keys with and without the article: ``الترس``
    may be al-Tirs or Alters, and ``إلماندر`` is Elmander."""
    kind = script_any(token)
    if kind is None or token in ARTICLES or token in AR_STOP:
        return ()
    forms = [token]
    if kind == "a" and token.startswith("ال") and len(token) >= 4:
        forms.insert(0, token[2:])
    out: list[str] = []
    for form in forms:
        for skel in variants(form):
            if f"{kind}:{skel}" not in out:
                out.append(f"{kind}:{skel}")
    if out:
        for form in forms:
            sh = shape(form)
            if f"{kind}s:{sh}" not in out and f"{kind}:{sh}" not in out:  # short words: one
                out.append(f"{kind}s:{sh}")
            q = f"{kind}q:{quality(form)}"
            if q not in out:
                out.append(q)
    return tuple(out)


def shape(token: str) -> str:
    """The finer key of a token: its consonant classes with each run of vowels as ``_``
    (Firmin and فيرمين are ``f_rm_n``, فريمان is ``fr_m_n``). Arabic writes only long
    vowels, so two spellings often differ here while their skeletons agree; a query
    looks the shape up beside the skeletons, and the documents that also share it rank
    first among those the skeleton found."""
    kind = script_any(token)
    units = _arabic(token) if kind == "a" else _latin(ascii_latin(token).replace("'", ""))
    return _shape(units)


_AR_QUALITY = {"ا": "a", "ي": "i", "و": "u", "ع": "", "ء": ""}
_LATIN_QUALITY = {"a": "a", "e": "i", "i": "i", "o": "u", "u": "u", "y": "i", "w": "u"}


def quality(token: str) -> str:
    """The finest key of a folded token: ``shape`` with each run of vowels written by
    its qualities (a; e, i, y: i; o, u, w: u), as Arabic writes long vowels with ا ي و:
    ``deron`` and ديرون are both ``dirun``, دارون is ``darun``. It ranks first, among the
    spellings a shape cannot tell apart, the one with the query's vowels (on the dev
    split of ``bench/accuracy/names.py``, 1,500 names: top-1 0.824 to 0.861)."""
    kind = script_any(token)
    if kind == "a":
        tok = token[:-1] if token.endswith("ه") and len(token) > 2 else token
        tok = tok.replace("تش", "ش")
        carrier = tok[:2] in ("اي", "او")  # an initial alef only carries the vowel: إيدو, Edo
        tok = tok[1:] if carrier else tok
        out = []
        for i, ch in enumerate(tok):
            if ch in _AR_QUALITY and not (i == 0 and ch in "وي" and not carrier):
                out.append(_AR_QUALITY[ch])
            elif cls := AR_CLASS.get(ch):
                out.append(cls)
    else:
        tok = ascii_latin(token).replace("'", "")
        if len(tok) > 2 and tok.endswith("h") and tok[-2] in "aeiou":
            tok = tok[:-1]
        tok = tok.replace("x", "ks").replace("dt", "t").replace("ou", "u")
        tok = re.sub(r"cc(?=[ei])", "ch", tok)
        for src, dst in LATIN_DIGRAPHS:
            tok = tok.replace(src, dst)
        tok = re.sub(r"c(?=[eiy])", "s", tok).replace("c", "k")
        out = []
        for i, ch in enumerate(tok):
            if ch in "aeiou" or (ch in "wy" and i > 0):
                out.append(_LATIN_QUALITY[ch])
            elif cls := LATIN_CLASS.get(ch):
                out.append(cls)
    return re.sub(r"(.)\1+", r"\1", "".join(out))


def query_keys(token: str) -> list[str]:
    """The keys to look up for a query token: its skeletons in the other script, and for
    an Arabic-script word those of its romanised spellings (``xscript_roman``) too."""
    out = [
        _OTHER[k[:2]] + k[2:] if k[1] == ":" else _OTHER[k[:3]] + k[3:] for k in token_keys(token)
    ]
    if out and out[0].startswith("l:"):
        for word in spellings(token):
            keys = token_keys(word)[:1]  # the spelling as given, not its variants
            out.extend(k for k in keys if k not in out)
    return out


def keys(word: str) -> list[str]:
    """Index keys for a word as written (not folded)."""
    return [k for t in tokens(word) for k in token_keys(t)]
