"""Word-level differences between two texts, compared folded but shown as written.

Words are compared in their folded form (``docket.text.normalize``), so ``أحمد`` and
``احمد`` or ``١٥٠٠`` and ``1500`` are the same word; each change quotes the original
words of both sides (``١٥٠٠`` -> ``١٢٠٠``), with a few words of context, so an analyst
sees what a draft or a re-typed copy changed without opening both.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from docket.text.normalize import token_spans

MAX_WORDS = 20_000  # SequenceMatcher is quadratic in the worst case; a diff is a summary
MAX_CHANGES = 50
CONTEXT = 3  # words of unchanged context shown before a change


def _words(text: str) -> tuple[list[str], list[str]]:
    """(folded tokens, original words) in order; one original word per folded token."""
    folded: list[str] = []
    original: list[str] = []
    for start, end, tok in token_spans(text):
        if len(folded) >= MAX_WORDS:
            break
        folded.append(tok)
        original.append(text[start:end])
    return folded, original


def word_diff(old: str, new: str) -> list[dict[str, Any]]:
    """Changes from ``old`` to ``new``: ``{"op", "old", "new", "context"}`` each, where
    ``op`` is replace, delete or insert and ``old`` / ``new`` are the words as written."""
    fa, oa = _words(old)
    fb, ob = _words(new)
    matcher = SequenceMatcher(None, fa, fb, autojunk=False)
    changes: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if len(changes) >= MAX_CHANGES:
            changes.append({"op": "more", "old": "", "new": "", "context": "(more changes)"})
            break
        changes.append(
            {
                "op": op,
                "old": " ".join(oa[i1:i2]),
                "new": " ".join(ob[j1:j2]),
                "context": " ".join(oa[max(0, i1 - CONTEXT) : i1]),
            }
        )
    return changes
