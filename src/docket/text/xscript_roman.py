"""Latin spellings of an Arabic-script query word from ``arabic-name-romanizer`` (its
dictionary of attested spellings first, its small offline model otherwise), for the
query side of cross-script search: ``ثيربانتس`` reads as Therbantis by the letters, but
the romanizer knows more spellings than the skeleton rules do.

Only queries use it: a query has a few words, while an index would have to romanise every
Arabic word of every document (milliseconds each). A failure of the package gives no
spellings, never an error.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from docket.text.names.lexicon import ARTICLES
from docket.text.normalize import tokens

TOP_K = 2
_MODEL_FILES = ("encoder.onnx", "decoder.onnx", "vocab.json", "meta.json")


@cache
def _transliterate() -> Any:
    """The romaniser's ``transliterate``, its model run on one thread. The package's own
    default runs ONNX Runtime on two, whose second thread spins between steps: in the
    single writer of the enrich stage that burned a second core for nothing, a second
    of CPU the workers needed on the bench corpus, and one thread is faster here too
    (0.50 s against 0.75 s wall for the corpus's 355 Arabic name words, the same
    spellings)."""
    from arabic_name_romanizer import transliterate

    try:
        from arabic_name_romanizer.api import Transliterator, default_resources_dir
        from arabic_name_romanizer.inference import OnnxModel

        res = default_resources_dir()
        if not all((res / f).exists() for f in _MODEL_FILES):
            return transliterate
        model = OnnxModel(res, intra_op_threads=1)
        persian = res / "persian"
        if all((persian / f).exists() for f in _MODEL_FILES):
            other = OnnxModel(persian, intra_op_threads=1)
        else:  # no model of its own: the package reads Persian script with the main one
            other = model
        return Transliterator(model=model, persian_model=other).transliterate
    except Exception:  # another layout, or a model that fails to load: the package's own
        return transliterate


@lru_cache(maxsize=4096)
def spellings(token: str) -> tuple[str, ...]:
    """Up to ``TOP_K`` likely Latin spellings of one folded Arabic-script token, each as
    one folded word with a leading article dropped (``Al-Nuaimi`` → ``nuaimi``)."""
    try:
        candidates = _transliterate()(token, top_k=TOP_K)
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
    try:
        latin = _transliterate()(token) or ""
    except Exception:  # a model failure must not stop resolution; fall back to nothing
        latin = ""
    return str(latin)
