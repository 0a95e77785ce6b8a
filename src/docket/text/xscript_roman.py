"""Latin spellings of an Arabic-script query word from ``arabic-name-romanizer`` (its
dictionary of attested spellings first, its small offline model otherwise), for the
query side of cross-script search: ``ثيربانتس`` reads as Therbantis by the letters, but
the romanizer knows more spellings than the skeleton rules do.

Only queries use it: a query has a few words, while an index would have to romanise every
Arabic word of every document (milliseconds each). A failure of the package gives no
spellings, never an error.
"""

from __future__ import annotations

from functools import lru_cache

from docket.text.names.lexicon import ARTICLES
from docket.text.normalize import tokens

TOP_K = 2


@lru_cache(maxsize=4096)
def spellings(token: str) -> tuple[str, ...]:
    """Up to ``TOP_K`` likely Latin spellings of one folded Arabic-script token, each as
    one folded word with a leading article dropped (``Al-Nuaimi`` → ``nuaimi``)."""
    try:
        from arabic_name_romanizer import transliterate

        candidates = transliterate(token, top_k=TOP_K)
        texts = [candidates] if isinstance(candidates, str) else [c.text for c in candidates]
    except Exception:  # a missing or broken model must not break a search
        return ()
    out: list[str] = []
    for text in texts:
        words = tokens(text)
        while len(words) > 1 and words[0] in ARTICLES:
            words = words[1:]
        word = "".join(words)
        if word and word not in out:
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=100_000)
def romanise(token: str) -> str:
    """The romaniser's one best Latin spelling of one Arabic-script token (a compound
    like عبدالله counts as one), as it gives it; "" when it fails."""
    from arabic_name_romanizer import transliterate

    try:
        latin = transliterate(token) or ""
    except Exception:  # a model failure must not stop resolution; fall back to nothing
        latin = ""
    return str(latin)
