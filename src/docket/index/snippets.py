"""Snippets: the window of an item's original text with the most query words, the words
marked with ``<b>``. Everything else is HTML-escaped, so a snippet is safe to show.

When no query word occurs as such, the words that matched loosely are marked instead:
light stems with ``<b>``, and names found in the other script with
``<b class="xscript">``, and ``snippet_match`` says which kind of match the hit is
(``exact``, ``stem`` or ``cross-script``), so a transliteration is never passed off as
the word the user typed."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from docket.enrich.normalize import token_spans
from docket.enrich.stem import stem
from docket.enrich.xscript import token_keys
from docket.index.query import Terms

WIDTH = 240
_keys = lru_cache(maxsize=65536)(token_keys)
_SPACE = re.compile(r"\s+")


def snippet(text: str, terms: Terms, width: int = WIDTH) -> str:
    """The best window of ``text`` for ``terms``; the start of the text if nothing matches."""
    return snippet_match(text, terms, width)[0]


def snippet_match(text: str, terms: Terms, width: int = WIDTH) -> tuple[str, str]:
    """``(snippet, match)``: the best window, and ``exact``, ``stem`` or ``cross-script``."""
    exact, stemmed, crossed = [], [], []
    for start, end, tok in token_spans(text):
        if tok in terms.words or any(tok.startswith(p) for p in terms.prefixes):
            exact.append((start, end))
        elif terms.stems and stem(tok) in terms.stems:
            stemmed.append((start, end))
        elif terms.xkeys and terms.xkeys.intersection(_keys(tok)):
            crossed.append((start, end))
    if exact or not (stemmed or crossed):
        return _window(text, exact, width, "<b>"), "exact"
    if stemmed:
        return _window(text, stemmed, width, "<b>"), "stem"
    return _window(text, crossed, width, '<b class="xscript">'), "cross-script"


def _window(text: str, spans: list[tuple[int, int]], width: int, tag: str) -> str:
    if not spans:
        return html.escape(_squash(text[:width]))
    best, best_count = 0, 0
    for i, (start, _) in enumerate(spans[:200]):
        # Count matches that fit in a window starting at this match.
        count = sum(1 for _, e in spans[i : i + 50] if e - start <= width)
        if count > best_count:
            best, best_count = i, count
    first = spans[best][0]
    lo = max(0, first - width // 4)
    hi = min(len(text), lo + width)
    # Do not cut words in half.
    while lo > 0 and not text[lo - 1].isspace() and first - lo < width // 2:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - lo < width + 20:
        hi += 1
    out, pos = [], lo
    for s, e in spans:
        if s < lo or e > hi:
            continue
        out.append(html.escape(_squash(text[pos:s])))
        out.append(tag + html.escape(text[s:e]) + "</b>")
        pos = e
    out.append(html.escape(_squash(text[pos:hi])))
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return prefix + "".join(out).strip() + suffix


def _squash(s: str) -> str:
    return _SPACE.sub(" ", s)
