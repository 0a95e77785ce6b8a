"""Snippets: the window of an item's original text with the most query words, the words
marked with ``<b>``. Everything else is HTML-escaped, so a snippet is safe to show."""

from __future__ import annotations

import html
import re

from docket.enrich.normalize import token_spans
from docket.index.query import Terms

WIDTH = 240
_SPACE = re.compile(r"\s+")


def snippet(text: str, terms: Terms, width: int = WIDTH) -> str:
    """The best window of ``text`` for ``terms``; the start of the text if nothing matches."""
    spans = [
        (start, end)
        for start, end, tok in token_spans(text)
        if tok in terms.words or any(tok.startswith(p) for p in terms.prefixes)
    ]
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
        out.append("<b>" + html.escape(text[s:e]) + "</b>")
        pos = e
    out.append(html.escape(_squash(text[pos:hi])))
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return prefix + "".join(out).strip() + suffix


def _squash(s: str) -> str:
    return _SPACE.sub(" ", s)
