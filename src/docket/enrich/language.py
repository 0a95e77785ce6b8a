"""Language identification with lingua, among every language it knows (75) unless the
case's ``languages`` setting names fewer; each segment's language and script recorded.
Codes are ISO 639-3 (``ara``, ``eng``…), the values the ``lang:`` search filter takes;
scripts are ISO 15924 (``Arab``, ``Latn``…; ``docket.text.scripts``).

Two detectors, because lingua's cost grows with its candidates: with every language in
its high-accuracy mode it held 1.1 GB and took 345 ms a call (measured on ten sample
sentences), against 85 MB and 15 ms in its low-accuracy mode, which lingua's authors
call reliable from about 120 characters. So text of ``SHORT`` letters or more is read by
the low-accuracy detector over all languages (a long text first at its two ends, and
whole only when they disagree: ``_wide``); shorter text (a cell, a line) by it too,
and when it names one of ``SHORT_LANGUAGES`` (the languages most often met in this
work) the high-accuracy detector over those decides which, as the restricted detector
always did (on the 24 short dev lines of ``bench/accuracy/language.py`` the low-accuracy
mode alone read one Spanish line as Portuguese; lingua's own figures show it weaker the
shorter the text). A ``languages`` list other than ``all`` uses the
high-accuracy detector over that list for everything, as before.

A document that mixes scripts (an Arabic letter with an English annex, an English report
quoting Arabic names) gets a language for each script with enough letters: its letters
of each script are identified apart. ``lang`` is the language of most letters;
``metadata.languages`` lists every language found, most letters first, and the index
files the item under each.
"""

from __future__ import annotations

from functools import cache

from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.scripts import main_script, script_letters

ALL = "all"
DEFAULT_LANGUAGES = (ALL,)
# The languages most met in this work: the detector for short text chooses among these.
SHORT_LANGUAGES = ("ara", "eng", "fra", "fas", "urd", "heb", "rus", "tur", "deu", "spa")
SHORT = 120  # letters; below this lingua's low-accuracy mode guesses poorly
SAMPLE = 4000  # characters read from an item; enough for a stable answer
PROBE = 200  # characters of each end of a long sample read first (``_wide``)
SURE = 0.9  # lingua's confidence in a probe's language that makes it the answer
MIN_LETTERS = 12  # below this a guess is noise
MIN_SHARE = 0.05  # a script with fewer of the item's letters adds no language of its own
MAX_PAGES = 2000  # pages identified one by one; a longer item keeps its item language
MAX_SEGMENTS = 2000  # segments given a language and a script each


@cache
def _detector(codes: tuple[str, ...], low: bool = False):  # type: ignore[no-untyped-def]
    from lingua import IsoCode639_3, Language, LanguageDetectorBuilder

    if codes == DEFAULT_LANGUAGES:
        builder = LanguageDetectorBuilder.from_all_languages()
    else:
        known = {lang.iso_code_639_3.name.lower() for lang in Language.all()}
        langs = [
            Language.from_iso_code_639_3(getattr(IsoCode639_3, c.upper()))
            for c in codes
            if c in known  # Kurdish (kur) has no lingua model yet
        ]
        builder = LanguageDetectorBuilder.from_languages(*langs)
    return (builder.with_low_accuracy_mode() if low else builder).build()


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text))


def _window(text: str, end: bool) -> str:
    """``PROBE`` characters at the start (or the end) of ``text``, cut between words."""
    if end:
        part = text[-PROBE:]
        return part[part.find(" ") + 1 :] if " " in part else part
    part = text[:PROBE]
    return part[: part.rfind(" ")] if " " in part else part


def _wide(sample: str):  # type: ignore[no-untyped-def]
    """lingua's low-accuracy detector over every language, on a text of ``SHORT`` letters
    or more. Its cost grows faster than the text (about 1 ms for 200 Latin characters,
    7 ms for 1,000, 13 ms for 4,000), so a long sample is first read at both ends: the
    first ``PROBE`` characters by it, the last by the detector over ``SHORT_LANGUAGES``
    (a tenth of the cost) when the first named one of those, else by it again. When the
    two ends name the same language, the first with a confidence of ``SURE`` or more,
    that is the answer; when they disagree (a text that changes language) or the first
    is unsure, the whole sample is read as before."""
    wide = _detector(DEFAULT_LANGUAGES, low=True)
    if len(sample) >= 3 * PROBE:
        head, tail = _window(sample, end=False), _window(sample, end=True)
        if _letters(head) >= SHORT and _letters(tail) >= SHORT:
            top = wide.compute_language_confidence_values(head)[:1]
            if top and top[0].value >= SURE:
                lang = top[0].language
                common = lang.iso_code_639_3.name.lower() in SHORT_LANGUAGES
                ends = _detector(SHORT_LANGUAGES, low=True) if common else wide
                if ends.detect_language_of(tail) == lang:
                    return lang
    return wide.detect_language_of(sample)


def detect_language(text: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> str | None:
    """The language of ``text`` as an ISO 639-3 code, or None when there is too little.
    ``languages``: ISO 639-3 codes to choose among, or ``("all",)``."""
    sample = text[:SAMPLE]
    letters = _letters(sample)
    if letters < MIN_LETTERS:
        return None
    languages = tuple(languages)
    if languages == DEFAULT_LANGUAGES and letters < SHORT:
        # Short text: lingua's low-accuracy mode over every language says which one it
        # may be; when that is one of the common languages, the high-accuracy detector
        # over those decides (it tells French from Spanish in a line, the other can't).
        wide = _detector(DEFAULT_LANGUAGES, low=True).detect_language_of(sample)
        code = wide.iso_code_639_3.name.lower() if wide is not None else None
        if code is not None and code not in SHORT_LANGUAGES:
            return code
    if languages != DEFAULT_LANGUAGES:
        found = _detector(languages).detect_language_of(sample)
    elif letters >= SHORT:
        found = _wide(sample)
    else:
        found = _detector(SHORT_LANGUAGES).detect_language_of(sample)
    return found.iso_code_639_3.name.lower() if found is not None else None


def _page_language(
    text: str, languages: tuple[str, ...], found: list[tuple[str, int]]
) -> str | None:
    """A page's language. When the item's text is in one language, one of
    ``SHORT_LANGUAGES`` (read by the detector over every language), a long page that the
    detector over those reads as that language at both ends (``_window``) is in it: a
    tenth of the cost of reading it afresh, as ``_wide`` confirms a text's far end (a PDF
    page cost 1.4 ms; pages were over a third of the enricher's time on the bench
    corpus). A page in another script, or that either end reads otherwise (an annex in
    another language), is read as any text is; what this misses is a page in a language
    outside ``SHORT_LANGUAGES`` that those read as the item's (Portuguese in a Spanish
    file, Dutch in a German one)."""
    item = found[0][0] if len(found) == 1 else None
    sample = text[:SAMPLE]
    if languages == DEFAULT_LANGUAGES and item in SHORT_LANGUAGES and len(sample) >= 3 * PROBE:
        head, tail = _window(sample, end=False), _window(sample, end=True)
        if _letters(head) >= SHORT and _letters(tail) >= SHORT:
            common = _detector(SHORT_LANGUAGES, low=True)
            ends = (common.detect_language_of(head), common.detect_language_of(tail))
            if all(e is not None and e.iso_code_639_3.name.lower() == item for e in ends):
                return item
    return detect_language(text, languages)


def detect_languages(
    text: str, languages: tuple[str, ...] = DEFAULT_LANGUAGES
) -> list[tuple[str, int]]:
    """Each language of ``text`` with its count of letters, most first: the letters of
    each script are identified apart, so a mixed Arabic and English text gives both."""
    by_script = script_letters(text[:SAMPLE])
    total = sum(_letters(t) for t in by_script.values()) or 1
    counts: dict[str, int] = {}
    for letters_text in by_script.values():
        n = _letters(letters_text)
        if n / total < MIN_SHARE:
            continue
        lang = detect_language(letters_text, languages)
        if lang:
            counts[lang] = counts.get(lang, 0) + n
    return sorted(counts.items(), key=lambda kv: -kv[1])


def setting(settings: Settings) -> tuple[str, ...]:
    """The ``languages`` setting as a tuple: ``("all",)`` or the codes listed."""
    codes = tuple(c.strip().lower() for c in settings.languages.split(",") if c.strip())
    return DEFAULT_LANGUAGES if not codes or ALL in codes else codes


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: the item's languages from its first segments, each segment's language
    and script, and for paged items each page's language."""
    languages = setting(settings)
    text = "\n".join(s.text for s in result.segments[:50])
    found = detect_languages(text, languages)
    result.lang = found[0][0] if found else None
    if found:
        result.metadata["languages"] = [lang for lang, _ in found]
    segments = result.segments[:MAX_SEGMENTS]
    scripts = [main_script(s.text[:SAMPLE]) for s in segments]
    if len(result.segments) == 1:
        langs = [result.lang]
    elif len(found) <= 1:
        # One language over the item's first segments: each segment with letters is taken
        # to be in it rather than asked again (lingua over every language costs about
        # 2 ms a call, most of stage one's time per item when asked for every segment).
        langs = [result.lang if script else None for script in scripts]
    else:
        langs = [detect_language(s.text, languages) for s in segments]
    if any(scripts):
        result.metadata["segment_languages"] = langs
        result.metadata["segment_scripts"] = scripts
    # Paged items (PDF, scans) also get a language per page: a bilingual file is often
    # an Arabic letter with an English annex. Keys are page numbers as strings (JSON).
    pages: dict[int, list[str]] = {}
    for s in result.segments:
        if s.page is not None and len(pages) < MAX_PAGES:
            pages.setdefault(s.page, []).append(s.text)
    if len(pages) > 1 or (pages and any(s.part == "ocr" for s in result.segments)):
        by_page = {
            str(p): _page_language("\n".join(t), languages, found) for p, t in sorted(pages.items())
        }
        by_page = {p: lang for p, lang in by_page.items() if lang}
        if by_page:
            result.metadata["page_languages"] = by_page
