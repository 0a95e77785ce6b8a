"""How one page is read: scaled down to the text height Tesseract reads best, then a
guessed orientation and script, checked by Tesseract's own
confidence, orientation and script detection (OSD) when the guess does not hold, then
the lines that reading is unsure of read again with every configured language.

The guess is the previous page's orientation and languages (pages of one document share
them), or for a document's first page upright Arabic script when an Arabic-script
language is configured. A page read with the guess at a mean word confidence of at least
``PAGE_SURE`` keeps that reading: it is that orientation and script. Otherwise OSD
decides, and the page is read again only when OSD chose differently. Measured on
``bench/ocr.py --pages`` (and generated pages): printed Arabic pages read with ``ara``
score 65-80; the same pages turned 180 degrees, English pages read with ``ara`` and Arabic
pages read with ``eng`` score 22-34. (Tesseract's layout analysis finds text turned 90 or
270 degrees itself; such a page may keep its guessed orientation and still read right.)
OSD costs most of a reading with ``ara`` and cannot tell a mixed page from an Arabic one,
so it runs only when needed.

A page whose lines of text are taller than ``TEXT_HEIGHT`` (48 px from the marks above a
line to its descenders) is first scaled down to it (``shrink``; the height is the median of
the page's ink bands, ``segment.line_height``). Measured on 15 ``bench/ocr.py --pages``
pages (lines about 80 px high): bare ``tesseract -l ara`` on the page had 9.7% character
errors at 458 ms CPU a page, the same on the page scaled to 40, 48 or 56 px lines 7.6%,
7.3% and 7.8% at 385, 402 and 422 ms (the layout analysis has fewer pixels to go
through). On 30 pages Docket's whole reading went from 6.6% and 517 ms a page (warm) to
5.3% and 445 ms. Pages of small print are not scaled up.

Arabic-script pages are read with the Arabic-script languages alone: with ``ara+eng`` a
reading takes twice as long and has 2.4 times the character errors on the bench pages,
since ``eng`` swaps unsure Arabic words for Latin letters. A Latin line read with ``ara``
scores under ``LINE_UNSURE`` (25-37 on generated mixed pages; one of the 150 printed Arabic
lines on the first ten bench pages does): those lines are cut out, stacked and read once more with all configured languages
(``ara+eng``), and the new reading replaces a line's old one when it is in the other script
(mostly Latin letters), Tesseract is sure of it (``SURE``) and surer than before.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from docket.extract.ocr import segment, tesseract

ARABIC_SCRIPT = frozenset({"ara", "fas", "urd", "pus", "kur", "uig", "snd"})
SURE = 50.0  # mean word confidence above which a line's reading is kept
PAGE_SURE = 60.0
LINE_UNSURE = 40.0
LATIN_SHARE = 0.6
TEXT_HEIGHT = 48  # pixels from the top of a line's marks to the bottom of its descenders
_SHRINK_FROM = 0.9  # lines less than about 10% too high are left as they are
_TILES = 4
_GAP = 20  # white rows between stacked lines, so the layout analysis keeps them apart


@dataclass(slots=True)
class Guess:
    rotate: int  # degrees clockwise that make the page upright
    langs: str
    script: str | None


@dataclass(slots=True)
class Outcome:
    reading: tesseract.Reading
    rotate: int
    script: str | None
    langs: str  # the languages of the text kept: "ara+eng" when lines were read again


def split(langs: str) -> tuple[str, str]:
    """``ara+eng`` → (``ara``, ``eng``): the Arabic-script and the other languages."""
    parts = langs.split("+")
    return (
        "+".join(x for x in parts if x in ARABIC_SCRIPT),
        "+".join(x for x in parts if x not in ARABIC_SCRIPT),
    )


def first_guess(langs: str) -> Guess:
    """A document's first page is guessed upright, in the script of the first configured
    language: ``ara+eng`` (the default) guesses Arabic, ``eng+ara`` English."""
    arabic, other = split(langs)
    if arabic and langs.split("+")[0] in ARABIC_SCRIPT:
        return Guess(0, arabic, "Arabic")
    return Guess(0, other, "Latin") if other else Guess(0, langs, None)


def langs_for(script: str | None, langs: str) -> str:
    """The configured languages that write ``script``; all of them when it is unknown
    or none fits."""
    arabic, other = split(langs)
    if script == "Arabic":
        return arabic or langs
    if script in ("Latin", "Cyrillic", "Greek"):
        return other or langs
    return langs


def upright(page: Image.Image, rotate: int) -> Image.Image:
    # OSD's Rotate is clockwise; Pillow turns counter-clockwise.
    return page.rotate(-rotate, expand=True) if rotate else page


def shrink(page: Image.Image) -> Image.Image:
    """``page`` scaled down so that its lines of text are about ``TEXT_HEIGHT`` pixels
    high (``segment.line_height``); as it is when they are no higher or it holds too few
    lines to tell."""
    height = segment.line_height(page)
    scale = TEXT_HEIGHT / height if height else 1.0
    if scale > _SHRINK_FROM:
        return page
    size = (max(1, round(page.width * scale)), max(1, round(page.height * scale)))
    small = page.resize(size, Image.Resampling.BILINEAR)
    dpi = page.info.get("dpi")
    if dpi:  # a rendered PDF page's resolution, which Tesseract is told, scales with it
        small.info["dpi"] = (dpi[0] * scale, dpi[1] * scale)
    return small


def detect(page: Image.Image, timeout: float) -> tesseract.Osd:
    """OSD wants a few hundred characters; a short letter or a receipt has fewer and gets
    no answer. Then the page is tiled a few times along its lines' direction (copies of
    the same text, same orientation) and asked again."""
    osd = tesseract.detect_osd(page, timeout)
    if osd.script is not None:
        return osd
    wide = page.width >= page.height
    size = (page.width, page.height * _TILES) if wide else (page.width * _TILES, page.height)
    tiled = Image.new("L", size, 255)
    for i in range(_TILES):
        tiled.paste(page, (0, i * page.height) if wide else (i * page.width, 0))
    return tesseract.detect_osd(tiled, timeout)


def read_page(
    page: Image.Image, langs: str, timeout: float, guess: Guess | None, *, recover: bool = True
) -> Outcome:
    """Read a grayscale page; ``langs`` are the configured languages ("ara+eng");
    ``recover``: read the lines the layout analysis dropped (``segment.py``)."""
    guess = guess or first_guess(langs)
    page = shrink(page)
    image = upright(page, guess.rotate)
    reading = tesseract.read(image, guess.langs, 3, timeout)
    rotate, script = guess.rotate, guess.script
    if reading.conf < PAGE_SURE:
        osd = detect(page, timeout)
        rotate = osd.rotate if osd.rotate and osd.confidence >= 1.0 else 0
        script, chosen = osd.script, langs_for(osd.script, langs)
        if (rotate, chosen) != (guess.rotate, guess.langs):
            first = reading if rotate == guess.rotate else None
            image = upright(page, rotate)
            reading = tesseract.read(image, chosen, 3, timeout)
            if first is not None:
                reading = merge(reading, first, langs)
    if recover:
        reading = segment.recover(image, reading, timeout)
    mended = mend(image, reading, langs, timeout)
    return Outcome(mended, rotate, script, mended.langs)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    area = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / area if w > 0 and h > 0 and area else 0.0


def merge(reading: tesseract.Reading, other: tesseract.Reading, langs: str) -> tesseract.Reading:
    """``reading`` with each line replaced by the line of ``other`` (the same page, read
    with other languages) that covers the same box, when Tesseract is surer of it: a
    mixed page that OSD names Latin keeps its Arabic lines from the Arabic reading.
    Labelled with all configured ``langs`` when lines were taken."""
    lines, took = [], False
    for line in reading.lines:
        best = max(other.lines, key=lambda x: _overlap(line.box, x.box), default=None)
        if best and _overlap(line.box, best.box) > 0.8 and best.conf > max(line.conf, SURE):
            line, took = tesseract.Line(line.key, line.box, best.words), True
        lines.append(line)
    return tesseract.Reading(langs if took else reading.langs, lines)


def mend(
    image: Image.Image, reading: tesseract.Reading, langs: str, timeout: float
) -> tesseract.Reading:
    """``reading`` with its unsure lines read again with all of ``langs``, in one run over
    the lines cut out and stacked. A line takes the new reading when it is in the other
    script (at least half its letters Latin on a page read with the Arabic-script
    languages, Arabic on one read with the others): a Latin line read with ``ara``, or a
    line of Latin names with Arabic words between them. It must also be sure (``SURE``),
    surer than the old one, and long enough (``LATIN_SHARE``), as ``read_line`` decides
    for a line image. On 30 bench pages of printed Arabic, taking any surer reading
    swapped unsure Arabic lines for confident misreadings of ``ara+eng`` (Latin letters
    and digits for a page number or a smudge) and had a page CER of 6.8% instead of 6.6%."""
    unsure = [i for i, x in enumerate(reading.lines) if x.conf < LINE_UNSURE]
    if not unsure or reading.langs == langs:
        return reading
    boxes = [reading.lines[i].box for i in unsure]
    width = max(b[2] for b in boxes) + _GAP
    stack = Image.new("L", (width, sum(b[3] - b[1] + _GAP for b in boxes) + _GAP), 255)
    spans, y = [], _GAP
    for left, top, right, bottom in boxes:
        stack.paste(image.crop((left, top, right, bottom)), (left, y))
        spans.append((y, y + bottom - top))
        y += bottom - top + _GAP
    again = tesseract.read(stack, langs, 6, timeout)
    words: list[list[tuple[str, float]]] = [[] for _ in unsure]
    for line in again.lines:
        middle = (line.box[1] + line.box[3]) / 2
        for k, (top, bottom) in enumerate(spans):
            if top - _GAP / 2 <= middle < bottom + _GAP / 2:
                words[k].extend(line.words)
    latin = all(x in ARABIC_SCRIPT for x in reading.langs.split("+"))
    lines = list(reading.lines)
    replaced = False
    for k, i in enumerate(unsure):
        old, new = lines[i], tesseract.Line(lines[i].key, lines[i].box, words[k])
        letters = [ch for ch in new.text if ch.isalpha()]
        arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
        other = (len(letters) - arabic if latin else arabic) >= len(letters) / 2 > 0
        long_enough = _letters(new.text) >= LATIN_SHARE * _letters(old.text)
        if other and long_enough and new.conf >= SURE and new.conf > old.conf:
            lines[i], replaced = new, True
    return tesseract.Reading(langs if replaced else reading.langs, lines)


def read_line(line: Image.Image, langs: str, timeout: float) -> tesseract.Reading:
    """One line, with no OSD to name its script (it needs more text than a line): read
    it with the Arabic-script languages alone, and when Tesseract is unsure of that
    reading (``SURE``), with the other ones too, keeping the Latin reading only when
    Tesseract is sure of it and surer than of the Arabic one. The Arabic model has no
    Latin letters, so a Latin line read with it comes back as Arabic letters with a low
    confidence (under 35 on generated English lines; printed Arabic lines in
    bench/ocr.py score 75 at the median). Measured on those lines: ``ara`` alone has half
    the character errors of ``ara+eng``; raw-line mode (psm 13): see ``lines.py``.

    An unsure Arabic line read with ``eng`` can come back as a few confident Latin
    letters ("ae", "gf" for a whole line of Kitab al-Hayawan): a Latin reading must also
    hold at least ``LATIN_SHARE`` of the Arabic reading's characters, as the same line
    written in Latin letters would (the Arabic reading of a Latin line is no longer
    than the Latin one).

    A sure Arabic reading must also be mostly Arabic letters: the Arabic model reads the
    digits of a Latin line ("Page 2 of the scanned batch") confidently, so its reading of
    such a line ("3 5630 ع5 01 2 06م") can pass ``SURE`` on the digits alone."""
    arabic, latin = split(langs)
    if not arabic or not latin:
        return tesseract.read(line, langs, 13, timeout)
    first = tesseract.read(line, arabic, 13, timeout)
    if first.conf >= SURE and 2 * _arabic_letters(first.text) >= _letters(first.text):
        return first
    other = tesseract.read(line, latin, 13, timeout)
    long_enough = _letters(other.text) >= LATIN_SHARE * _letters(first.text)
    return other if other.conf >= SURE and other.conf > first.conf and long_enough else first


def _letters(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _arabic_letters(text: str) -> int:
    """Letters of the Arabic block (not its digits, which are not letters)."""
    return sum(1 for ch in text if "\u0600" <= ch <= "\u06ff" and ch.isalpha())
