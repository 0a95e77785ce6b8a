"""Text Tesseract's layout analysis left out: ink on the page that no line it returned
covers, cut into lines by the row profile and read line by line.

Tesseract's page layout analysis (``--psm 3``, and ``--psm 6`` too) sometimes drops
whole lines of clean print without a trace: on a generated page of three Arabic lines in
a 40 px font it returned only the last one (the same page scaled by 0.75 or 1.5 gave all
three). For an archive a silently missing line is the worst error, so after each reading
the page's ink is masked with the boxes of the lines read, what is left is cut into
bands of rows (dots and vowel marks joined to the line they belong to), and each band
that looks like a line of text is read as one (``lines.py``). A band's reading is kept
only when Tesseract is sure of it (``SURE``): a photo, a stamp or specks left over read
as low-confidence noise and are dropped.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from docket.extract.ocr import tesseract
from docket.extract.ocr.lines import single_line

SURE = 50.0
_MIN_INK_ROW = 2  # pixels of ink that make a row part of a band (fewer: specks)
_MIN_HEIGHT = 8  # a band lower than this is a rule or specks, not a line
_MAX_BANDS = 40  # read at most this many left-over bands on a page
_MAX_DENSITY = 0.5  # a band more than half ink is a picture or a black border


def otsu(gray: np.ndarray) -> int:
    """The grey level that best splits ``gray`` into ink and paper (Otsu's method)."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(hist)
    mass = np.cumsum(hist * np.arange(256))
    total, count = mass[-1], weight[-1]
    between = (mass * count - weight * total) ** 2 / np.maximum(weight * (count - weight), 1)
    return int(np.argmax(between))


def ink(image: Image.Image) -> np.ndarray:
    """Boolean mask of the ink of a grayscale page (dark on light)."""
    gray = np.asarray(image.convert("L"))
    return gray <= min(otsu(gray), 200)


def bands(mask: np.ndarray) -> list[tuple[int, int]]:
    """Runs of inked rows, each small run (dots, vowel marks) joined to the taller run
    next to it when it lies within half that run's height."""
    rows = mask.sum(axis=1) >= _MIN_INK_ROW
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    changed = True
    while changed and len(runs) > 1:
        changed = False
        for i, (top, bottom) in enumerate(runs):
            height = bottom - top
            near = [j for j in (i - 1, i + 1) if 0 <= j < len(runs)]
            big = [j for j in near if runs[j][1] - runs[j][0] >= 2 * height]
            if not big:
                continue
            j = min(big, key=lambda k: min(abs(runs[k][0] - bottom), abs(top - runs[k][1])))
            other = runs[j]
            gap = max(other[0] - bottom, top - other[1])
            if gap <= (other[1] - other[0]) / 2:
                runs[min(i, j)] = (min(top, other[0]), max(bottom, other[1]))
                del runs[max(i, j)]
                changed = True
                break
    return runs


def line_height(image: Image.Image) -> int | None:
    """The median height of the lines of text on a grayscale page, in its pixels: bands
    of inked rows (``bands``) at least twice as wide as tall and no more than half ink,
    read along the rows, or along the columns for a page lying sideways. None when
    neither way holds three such bands (a picture, a line or two)."""
    k = 2 if min(image.size) >= 1000 else 1
    mask = ink(image.reduce(k) if k > 1 else image)
    for m in (mask, mask.T):
        heights = []
        for top, bottom in bands(m):
            cols = np.flatnonzero(m[top:bottom].any(axis=0))
            if not len(cols) or bottom - top < _MIN_HEIGHT // k:
                continue
            width = int(cols[-1]) + 1 - int(cols[0])
            dense = m[top:bottom, cols[0] : cols[-1] + 1].mean() > _MAX_DENSITY
            if width >= 2 * (bottom - top) and not dense:
                heights.append(k * (bottom - top))
        if len(heights) >= 3:
            return sorted(heights)[len(heights) // 2]
    return None


def recover(image: Image.Image, reading: tesseract.Reading, timeout: float) -> tesseract.Reading:
    """``reading`` with the lines it left out read and put in place (by their top)."""
    # the search runs on the page at half size (a page scanned at 300 dpi: a quarter of
    # the pixels, the cost of this check under 10 ms); bands are cut from the full page
    k = 2 if min(image.size) >= 1000 else 1
    mask = ink(image.reduce(k) if k > 1 else image)
    if not mask.any():
        return reading
    covered: list[tuple[int, int, int, int]] = []
    for line in reading.lines:
        left, top, right, bottom = line.box
        pad = max(2, (bottom - top) // 3)  # dots and marks just outside the line's box
        box = (max(0, left - pad), max(0, top - pad), right + pad, bottom + pad)
        covered.append(box)
        mask[box[1] // k : -(-box[3] // k), box[0] // k : -(-box[2] // k)] = False
    heights = sorted(x.box[3] - x.box[1] for x in reading.lines)
    median = heights[len(heights) // 2] if heights else 0
    tallest = 3 * median if heights else 250
    # a dropped line is about as tall as the lines read; lower bands are marks and
    # specks the boxes missed, not worth a Tesseract call
    lowest = max(_MIN_HEIGHT, median // 2)
    found: list[tesseract.Line] = []
    paper: Image.Image | None = None
    for top_k, bottom_k in bands(mask)[:_MAX_BANDS]:
        cols = np.flatnonzero(mask[top_k:bottom_k].any(axis=0))
        top, bottom = top_k * k, bottom_k * k
        height = bottom - top
        if height < lowest or height > tallest or not len(cols):
            continue
        left_k, right_k = int(cols[0]), int(cols[-1]) + 1
        left, right = left_k * k, right_k * k
        if right - left < height or mask[top_k:bottom_k, left_k:right_k].mean() > _MAX_DENSITY:
            continue
        if paper is None:  # the page with the lines already read whited out
            paper = image.copy()
            for box in covered:
                paper.paste(255, box)
        crop = paper.crop((left, top, right, bottom))
        cut = single_line(crop)
        got = tesseract.read(cut if cut is not None else crop, reading.langs, 13, timeout)
        words = [w for x in got.lines for w in x.words]
        new = tesseract.Line((-1, 0, len(found)), (left, top, right, bottom), words)
        if new.conf >= SURE:
            found.append(new)
    if not found:
        return reading
    # each goes before the first line read lower on the page; Tesseract's own order (its
    # columns) is kept
    lines = list(reading.lines)
    for new in found:
        at = next((i for i, x in enumerate(lines) if x.box[1] > new.box[1]), len(lines))
        lines.insert(at, new)
    return tesseract.Reading(reading.langs, lines)
