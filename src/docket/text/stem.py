"""Light stemming for the prose field of the index (never for names or exact matches).

Arabic: the light10 idea (Larkey et al.) — strip one common prefix (the article and the
conjunctions and prepositions glued to it: وال، بال، كال، فال، لل، ال) and one common
suffix (ات، ون، ين، ها، ان، هم، كم، نا، يه، ه) while at least three letters remain. The
nisba ``ي`` is kept: it ends most family names. English: tantivy's Snowball stemmer. The
stems go to their own field, searched with a lower boost than the exact text.
"""

from __future__ import annotations

from functools import cache

import tantivy

from docket.text.scripts import script

_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ات", "ون", "ين", "ها", "ان", "هم", "كم", "نا", "يه", "ه")
_MIN = 3


@cache
def _english() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def arabic_stem(token: str) -> str:
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= _MIN:
            token = token[len(p) :]
            break
    for s in _SUFFIXES:
        if token.endswith(s) and len(token) - len(s) >= _MIN:
            token = token[: -len(s)]
            break
    return token


@cache
def stem(token: str) -> str:
    """The stem of one folded token (itself when no rule applies)."""
    kind = script(token)
    if kind == "a":
        return arabic_stem(token)
    if kind == "l":
        got = _english().analyze(token)
        return got[0] if got else token
    return token


def stems(folded_tokens: list[str]) -> list[str]:
    """One stem per token, positions kept (phrases work on the stem field too)."""
    return [stem(t) for t in folded_tokens]
