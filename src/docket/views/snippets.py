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
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from docket.store.query import Terms
from docket.text.normalize import _WORD, MARKS, normalize  # token_spans' own word pattern
from docket.text.stem import stem
from docket.text.xscript import token_keys

WIDTH = 240
_keys = lru_cache(maxsize=65536)(token_keys)
_SPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W_]")
_MARKS = re.compile(MARKS)
_INSIDE = re.compile(rf"[^\W_]|{MARKS}")  # what a word is made of
EXACT, STEM, CROSS = 1, 2, 3


@lru_cache(maxsize=65536)
def _fold(word: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(normalize(word)))


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """What ``normalize.token_spans`` yields, with each distinct word folded once: words
    repeat, and folding them one by one was most of a search page's time."""
    for m in _WORD.finditer(text):
        for folded in _fold(m.group()):
            yield m.start(), m.end(), folded


def _exact(tok: str, terms: Terms) -> int:
    return EXACT if tok in terms.words or any(tok.startswith(p) for p in terms.prefixes) else 0


def _loose(tok: str, terms: Terms) -> int:
    if terms.stems and stem(tok) in terms.stems:
        return STEM
    if terms.xkeys and terms.xkeys.intersection(_keys(tok)):
        return CROSS
    return 0


def _kinds(
    words: set[str], terms: Terms, kind_of: Callable[[str, Terms], int]
) -> dict[str, tuple[int, ...]]:
    """The words (as written) that match, with the kind of match of each of their tokens."""
    out: dict[str, tuple[int, ...]] = {}
    if kind_of is _exact and not terms.prefixes:
        # The common case, kept to set lookups: most words fold to one token.
        wanted = terms.words
        for word in words:
            folded = _fold(word)
            if len(folded) == 1:
                if folded[0] in wanted:
                    out[word] = (EXACT,)
            elif not wanted.isdisjoint(folded):
                out[word] = tuple(EXACT for t in folded if t in wanted)
        return out
    for word in words:
        kind = tuple(k for k in (kind_of(t, terms) for t in _fold(word)) if k)
        if kind:
            out[word] = kind
    return out


def _find(
    text: str, terms: Terms, kind_of: Callable[[str, Terms], int]
) -> dict[int, list[tuple[int, int]]]:
    """Spans of ``text`` by kind of match. Each distinct word is classified once, and the
    matching words are then found by one regular expression: walking every word of a
    long text in Python was most of a search page's time."""
    found: dict[int, list[tuple[int, int]]] = {EXACT: [], STEM: [], CROSS: []}
    kinds = _kinds(set(_WORD.findall(text)), terms, kind_of)
    if not kinds:
        return found
    # Longest first, so that of two words where one begins the other, the longer is tried;
    # a match must be a whole word: no letter or mark after it (checked by the pattern)
    # and none before it (checked here: a lookbehind would slow the scan for the words).
    words = "|".join(map(re.escape, sorted(kinds, key=len, reverse=True)))
    pattern = re.compile(rf"(?:{words})(?![^\W_]|{MARKS})")
    for m in pattern.finditer(text):
        start = m.start()
        if start and _INSIDE.match(text, start - 1) and not _starts_word(text, start):
            continue
        for k in kinds[m.group()]:
            found[k].append(m.span())
    return found


def _starts_word(text: str, at: int) -> bool:
    """Whether ``_WORD.finditer`` starts a word at ``at``: a word runs over letters and
    the marks (diacritics, tatweel, joiners) between them, so ``at`` starts one unless a
    letter comes before it, possibly across marks."""
    i = at - 1
    while i >= 0 and _MARKS.match(text[i]):
        i -= 1
    return i < 0 or not _LETTER.match(text[i])


def snippet(text: str, terms: Terms, width: int = WIDTH) -> str:
    """The best window of ``text`` for ``terms``; the start of the text if nothing matches."""
    return snippet_match(text, terms, width)[0]


def snippet_match(text: str, terms: Terms, width: int = WIDTH) -> tuple[str, str]:
    """``(snippet, match)``: the best window, and ``exact``, ``stem`` or ``cross-script``."""
    best = best_window(text, terms, width)
    return best.html, best.match


@dataclass(frozen=True, slots=True)
class Window:
    html: str  # the window, escaped, matched words marked
    match: str  # exact | stem | cross-script
    at: int | None  # offset in the text of the window's first marked word; None: no match


def best_window(text: str, terms: Terms, width: int = WIDTH) -> Window:
    """The window of ``text`` with the most words of ``terms``, and where it lies."""
    exact = _find(text, terms, _exact)[EXACT]
    # Loose matches count only when no word matched as typed: look for them only then.
    loose = _find(text, terms, _loose) if not exact else {}
    stemmed, crossed = loose.get(STEM, []), loose.get(CROSS, [])
    if exact or not (stemmed or crossed):
        return _window(text, exact, width, "<b>", "exact")
    if stemmed:
        return _window(text, stemmed, width, "<b>", "stem")
    return _window(text, crossed, width, '<b class="xscript">', "cross-script")


def _window(text: str, spans: list[tuple[int, int]], width: int, tag: str, match: str) -> Window:
    if not spans:
        return Window(html.escape(_squash(text[:width])), match, None)
    best, best_count = 0, 0
    ends = [e for _, e in spans[:250]]  # in text order, so ends never decrease
    for i, (start, _) in enumerate(spans[:200]):
        # Count matches that fit in a window starting at this match (of the next 50).
        count = bisect_right(ends, start + width, i, min(i + 50, len(ends))) - i
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
    return Window(prefix + "".join(out).strip() + suffix, match, first)


def _squash(s: str) -> str:
    return _SPACE.sub(" ", s)
