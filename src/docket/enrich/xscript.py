"""Cross-script keys: a phonetic skeleton shared by Arabic-script words and their Latin
spellings, so ``Nuaimi`` finds ``النعيمي`` and ``النعيمي`` finds ``al-Noaimy``.

The skeleton keeps consonant classes in order and drops what the two scripts write
differently: vowels (Arabic leaves short ones out, Latin spellings disagree on them), the
article, ayn and hamza (often unwritten in Latin), doubled letters, a final ``h`` / ة.
Letters Latin spellings confuse share a class: ت ط ث / t th; د ض ذ ظ / d dh; س ص ش /
ز / s sh ch z (Latin writes ز for an s between vowels, Amoruso / أموروزو); ح ه خ / h kh; ك ق / k q c; ج غ / g j gh; ف / f ph v; ب / b p.

A key is prefixed with the script it came from (``a:`` or ``l:``) and a query looks up
the other script only: the key is for crossing scripts, not for fuzzy spelling within
one. Skeletons of fewer than two consonants match too much to be worth a hit.
"""

from __future__ import annotations

import re

from docket.enrich.normalize import tokens

MIN_CONSONANTS = 2

_AR = {
    **dict.fromkeys("تطث", "t"),
    **dict.fromkeys("دضذظ", "d"),
    **dict.fromkeys("سصشز", "s"),
    **dict.fromkeys("حهخ", "h"),
    **dict.fromkeys("كق", "k"),
    **dict.fromkeys("جغ", "g"),
    "ب": "b", "ف": "f", "ر": "r", "ل": "l", "م": "m", "ن": "n",
    "و": "w", "ي": "y",
}  # fmt: skip
_AR_VOWELISH = set("اويعءئؤ")
_LATIN_DIGRAPHS = (
    ("sch", "s"), ("kh", "h"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"),
    ("dh", "d"), ("ph", "f"), ("ck", "k"), ("dj", "g"), ("ts", "s"), ("ou", "u"),
)  # fmt: skip
_LATIN = {
    "b": "b", "p": "b", "t": "t", "d": "d", "s": "s", "h": "h", "k": "k", "q": "k",
    "g": "g", "j": "g", "f": "f", "v": "f", "z": "s", "r": "r", "l": "l", "m": "m",
    "n": "n", "w": "w", "y": "y",
}  # fmt: skip
_ARTICLES = frozenset({"al", "el", "ul", "ar", "as", "ash", "at", "ad", "an", "az"})
_ARABIC = re.compile(r"[\u0621-\u064a]")
_LATIN_WORD = re.compile(r"^[a-z']+$")


def script(token: str) -> str | None:
    """``"a"`` for an Arabic-script token, ``"l"`` for a Latin one, None otherwise."""
    if _ARABIC.search(token):
        return "a"
    if _LATIN_WORD.match(token):
        return "l"
    return None


def skeleton(token: str) -> str:
    """The consonant skeleton of one folded token, in either script."""
    kind = script(token)
    if kind == "a":
        return _arabic(token)
    if kind == "l":
        return _latin(token)
    return ""


# Spellings that go either way: each rule gives one more key (a variant) for a token.
_AR_VARIANTS = (("ث", "س"), ("ظ", "ز"), ("ذ", "ز"), ("ق", "ج"))
_LATIN_VARIANTS = (
    ("dh", "dah"), ("th", "tah"), ("ch", "k"), ("ch", "h"), ("gh", "k"), ("j", "y"),
)  # fmt: skip


def variants(token: str) -> list[str]:
    """The token and its ambiguous-spelling variants, as skeletons, most likely first."""
    kind = script(token)
    if kind is None:
        return []
    rules = _AR_VARIANTS if kind == "a" else _LATIN_VARIANTS
    forms = [token] + [token.replace(a, b) for a, b in rules if a in token]
    if kind == "l" and re.search(r"[aeiou]h$", token):
        forms.append(token + "h")  # a final h that is a consonant (Sabah / صباح)
    if kind == "l" and token.endswith("ic"):
        forms.append(token[:-1] + "sh")  # Slavic -ić, which Arabic writes -يتش
    out: list[str] = []
    for form in forms:
        skel = _arabic(form) if kind == "a" else _latin(form)
        if skel not in out:
            out.append(skel)
    return out


def _arabic(tok: str) -> str:
    tok = tok.replace("تش", "ش")  # how Arabic writes ch (Chadwick / تشادويك)
    if tok.endswith("ه") and len(tok) > 2:  # taa marbuta (folded to ه) is a vowel
        tok = tok[:-1]
    out = []
    for i, ch in enumerate(tok):
        if ch in _AR_VOWELISH and not (i == 0 and ch in "وي"):
            continue  # long vowels, ayn, hamza; initial و / ي are consonants (w, y)
        cls = _AR.get(ch)
        if cls:
            out.append(cls)
    return _squash(out)


def _latin(tok: str) -> str:
    tok = tok.replace("'", "")
    if len(tok) > 2 and tok.endswith("h") and tok[-2] in "aeiou":
        tok = tok[:-1]  # Fatimah, Hamzah: the h writes taa marbuta
    tok = tok.replace("x", "ks").replace("dt", "t")
    for src, dst in _LATIN_DIGRAPHS:
        tok = tok.replace(src, dst)
    tok = re.sub(r"c(?=[eiy])", "s", tok).replace("c", "k")
    out = []
    for i, ch in enumerate(tok):
        if ch in "aeiou" or (ch in "wy" and i > 0):
            continue
        cls = _LATIN.get(ch)
        if cls:
            out.append(cls)
    return _squash(out)


def _squash(classes: list[str]) -> str:
    out: list[str] = []
    for c in classes:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def token_keys(token: str) -> list[str]:
    """``a:…`` / ``l:…`` index keys of a folded token; none when it carries too little.

    An Arabic word starting with ال gets two keys, with and without the article:
    ``الترس`` may be al-Tirs or Alters, and ``إلماندر`` is Elmander."""
    kind = script(token)
    if kind is None or token in _ARTICLES:
        return []
    forms = [token]
    if kind == "a" and token.startswith("ال") and len(token) >= 4:
        forms.insert(0, token[2:])
    out: list[str] = []
    for form in forms:
        for skel in variants(form):
            if len(skel) >= MIN_CONSONANTS and f"{kind}:{skel}" not in out:
                out.append(f"{kind}:{skel}")
    return out


def query_keys(token: str) -> list[str]:
    """The keys to look up for a query token: its skeletons in the other script."""
    return [("l:" if k.startswith("a:") else "a:") + k[2:] for k in token_keys(token)]


def keys(word: str) -> list[str]:
    """Index keys for a word as written (not folded)."""
    return [k for t in tokens(word) for k in token_keys(t)]
