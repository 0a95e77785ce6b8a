"""Language identification with lingua, restricted to the case's languages (fewer
candidates: faster and more accurate on short strings). Codes are ISO 639-3 (``ara``,
``eng``…), the values the ``lang:`` search filter takes."""

from __future__ import annotations

from functools import cache

from docket.model.results import ExtractResult
from docket.settings import Settings

# Kurdish is not among lingua's models; Sorani text is usually identified as Persian.
DEFAULT_LANGUAGES = ("ara", "eng", "fra", "fas", "rus", "tur")
SAMPLE = 4000  # characters read from an item; enough for a stable answer
MIN_LETTERS = 12  # below this a guess is noise
MAX_PAGES = 2000  # pages identified one by one; a longer item keeps its item language


@cache
def _detector(codes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from lingua import IsoCode639_3, Language, LanguageDetectorBuilder

    langs = [Language.from_iso_code_639_3(getattr(IsoCode639_3, c.upper())) for c in codes]
    return LanguageDetectorBuilder.from_languages(*langs).build()


def detect_language(text: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> str | None:
    """The language of ``text`` as an ISO 639-3 code, or None when there is too little."""
    sample = text[:SAMPLE]
    if sum(1 for ch in sample if ch.isalpha()) < MIN_LETTERS:
        return None
    found = _detector(tuple(languages)).detect_language_of(sample)
    return found.iso_code_639_3.name.lower() if found is not None else None


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: the item's language from its first segments."""
    languages = tuple(settings.languages.split(","))
    text = "\n".join(s.text for s in result.segments[:50])
    result.lang = detect_language(text, languages)
    # Paged items (PDF, scans) also get a language per page: a bilingual file is often
    # an Arabic letter with an English annex. Keys are page numbers as strings (JSON).
    pages: dict[int, list[str]] = {}
    for s in result.segments:
        if s.page is not None and len(pages) < MAX_PAGES:
            pages.setdefault(s.page, []).append(s.text)
    if len(pages) > 1 or (pages and any(s.part == "ocr" for s in result.segments)):
        found = {str(p): detect_language("\n".join(t), languages) for p, t in sorted(pages.items())}
        found = {p: lang for p, lang in found.items() if lang}
        if found:
            result.metadata["page_languages"] = found
