"""Faces in images and scans, for redaction proposals: OpenCV's bundled Haar cascades
(frontal and profile), offline, no model download. A detector proposes; the analyst
decides, so the cascades err towards proposing."""

from __future__ import annotations

from functools import cache
from typing import Any

from PIL import Image

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the image
_CASCADES = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
_MAX_SIDE = 1600  # detection runs on a downscaled copy; boxes are fractions anyway
PAD = 0.15  # grow each box by this share of its size: hair, ears, chin


@cache
def detectors() -> list[Any]:
    import cv2

    folder = cv2.data.haarcascades  # type: ignore[attr-defined]  # not in its stubs
    return [cv2.CascadeClassifier(folder + name) for name in _CASCADES]


def faces(image: Image.Image) -> list[Box]:
    """Boxes around faces in ``image``, padded, merged where they overlap."""
    import cv2
    import numpy as np

    gray = image.convert("L")
    scale = min(1.0, _MAX_SIDE / max(gray.size))
    if scale < 1:
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)))
    raw = np.asarray(gray)
    w, h = gray.size
    found: list[Box] = []
    # As scanned and with its histogram equalised: each finds faces the other misses
    # (a pale face on a white form; a dim photograph).
    for pixels in (raw, cv2.equalizeHist(raw)):
        found += _detect(pixels, w, h)
    return _merge(found)


def _detect(pixels: Any, w: int, h: int) -> list[Box]:
    found: list[Box] = []
    for detector in detectors():
        for x, y, bw, bh in detector.detectMultiScale(pixels, scaleFactor=1.1, minNeighbors=5,
                                                       minSize=(24, 24)):  # fmt: skip
            px, py = bw * PAD, bh * PAD
            found.append((max(0.0, float(x - px) / w), max(0.0, float(y - py) / h),
                          min(1.0, float(x + bw + px) / w), min(1.0, float(y + bh + py) / h)))  # fmt: skip
    return found


def _merge(boxes: list[Box]) -> list[Box]:
    out: list[Box] = []
    for b in sorted(boxes):
        for i, o in enumerate(out):
            if b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3]:
                out[i] = (min(o[0], b[0]), min(o[1], b[1]), max(o[2], b[2]), max(o[3], b[3]))
                break
        else:
            out.append(b)
    return out
