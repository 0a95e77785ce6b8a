"""Is an image one line of text? Found from its row profile, not its file name or size.

A cropped line (a caption, a cell, a line cut from a page for a training set) needs other
handling than a page: Tesseract's orientation detection wants more text than one line
holds, and its page layout analysis (``--psm 3``) or even its single-line mode
(``--psm 7``) sometimes finds no text line at all in a short strip and returns nothing.
Raw-line mode (``--psm 13``) reads the whole image as one line, scaled to its network's
input height, so the image must be cropped to the line's ink with a small margin: white
space above and below would shrink the letters. Measured on printed Arabic lines
(``bench/ocr.py``): ``--psm 13`` on the cropped line has two thirds of the character
errors of ``--psm 7``, and no empty results.
"""

from __future__ import annotations

from PIL import Image, ImageOps

_INK = 128  # grey level below which a pixel is ink (pages are grayscale by then)
_MAX_HEIGHT = 200  # taller ink than this is not one line of body text
_MIN_RATIO = 2.0  # a line is at least twice as wide as it is tall
_MIN_HEIGHT = 48  # Tesseract reads x-heights under ~20 px poorly: scale small lines up


def _runs(profile: list[int]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of rows holding ink."""
    runs: list[tuple[int, int]] = []
    start = None
    for y, ink in enumerate(profile):
        if ink and start is None:
            start = y
        elif not ink and start is not None:
            runs.append((start, y))
            start = None
    if start is not None:
        runs.append((start, len(profile)))
    return runs


def single_line(image: Image.Image) -> Image.Image | None:
    """``image`` (grayscale, dark text on light) cropped to its one line of text with a
    margin of about a twentieth of the line's height, small lines scaled up; None when
    it holds no text or more than one line.

    A line is the tallest run of inked rows; runs under half its height (dots and
    vowel marks above or below it, specks) do not make a second line, but those next to
    it belong to it."""
    ink = image.point(lambda v: 255 if v < _INK else 0)
    box = ink.getbbox()
    if box is None:
        return None
    runs = _runs(ink.crop((0, box[1], image.width, box[3])).getprojection()[1])
    main = max(runs, key=lambda r: r[1] - r[0])
    height = main[1] - main[0]
    if any(r is not main and r[1] - r[0] >= height / 2 for r in runs):
        return None
    near = [r for r in runs if r[0] - main[1] <= height / 2 and main[0] - r[1] <= height / 2]
    top, bottom = box[1] + near[0][0], box[1] + near[-1][1]
    cols = ink.crop((0, top, image.width, bottom)).getbbox()
    if cols is None:
        return None
    left, right = cols[0], cols[2]
    if bottom - top > _MAX_HEIGHT or right - left < _MIN_RATIO * (bottom - top):
        return None
    line = image.crop((left, top, right, bottom))
    if line.height < _MIN_HEIGHT:
        scale = _MIN_HEIGHT / line.height
        line = line.resize((round(line.width * scale), _MIN_HEIGHT), Image.Resampling.LANCZOS)
    margin = max(2, round(line.height / 20))
    return ImageOps.expand(line, margin, fill=255)
