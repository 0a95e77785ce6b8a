"""Tesseract 5 as a subprocess: orientation and script detection (``--psm 0``), then
recognition with the languages that script calls for.

A subprocess, not a binding: the worker pool's timeout and memory cap already fence it,
a crash in Leptonica cannot take the worker down, and ``OMP_THREAD_LIMIT=1`` keeps N
workers from starting N x cores OpenMP threads (Tesseract's own threading slows down
badly when oversubscribed).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
# OSD classifies characters in all four orientations until it has seen this many (up to
# five times as many); its cost grows with the count. Tesseract's default of 50 made OSD
# dearer than recognising the page with ``ara``; 20 still turned all of 24 stacked book
# pages (Arabic and English, 0/90/180/270 degrees) the right way, at under half the cost.
OSD_CHARACTERS = 20
_OSD = re.compile(r"^(Rotate|Script|Orientation confidence|Script confidence):\s*(\S+)", re.M)


class OcrError(Exception):
    """Tesseract failed on a page; ``code`` is ``ocr-failed`` or ``timeout``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(slots=True)
class Osd:
    rotate: int = 0  # degrees clockwise that make the page upright
    script: str | None = None  # "Arabic", "Latin"… as Tesseract names them
    confidence: float = 0.0


@cache
def binary() -> str | None:
    """Path of the ``tesseract`` executable, or None when it is not installed."""
    return shutil.which("tesseract")


@cache
def installed_languages() -> frozenset[str]:
    exe = binary()
    if exe is None:
        return frozenset()
    try:
        proc = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, env=_ENV
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in proc.stdout.splitlines()[1:] if line.strip())


@cache
def version() -> str:
    exe = binary()
    if exe is None:
        return ""
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    first = (proc.stdout or proc.stderr).splitlines()
    return first[0].strip() if first else ""


def _run(args: list[str], image: bytes, timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Tesseract on ``image`` (an encoded image, passed on stdin: no temporary file)."""
    exe = binary()
    if exe is None:
        raise OcrError("ocr-failed", "tesseract is not installed")
    try:
        return subprocess.run(
            [exe, "-", "stdout", *args],
            input=image,
            capture_output=True,
            timeout=timeout,
            env=_ENV,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", f"tesseract ran past {timeout:g} s and was stopped") from exc
    except OSError as exc:
        raise OcrError("ocr-failed", f"tesseract could not start: {exc}") from exc


def detect_osd(image: bytes, timeout: float) -> Osd:
    """Orientation and script of a page. Pages with too little text for OSD (a short
    line, a stamp) come back as upright with no script: the caller then uses every
    configured language."""
    if "osd" not in installed_languages():
        return Osd()
    args = ["--psm", "0", "-l", "osd", "-c", f"min_characters_to_try={OSD_CHARACTERS}"]
    proc = _run(args, image, timeout)
    found = dict(_OSD.findall(proc.stdout.decode("utf-8", "replace")))
    if proc.returncode != 0 or "Rotate" not in found:
        return Osd()
    try:
        conf = float(found.get("Orientation confidence", "0"))
    except ValueError:
        conf = 0.0
    return Osd(int(found["Rotate"]) % 360, found.get("Script"), conf)


@dataclass(slots=True)
class Line:
    key: tuple[int, int, int]  # block, paragraph, line as Tesseract numbers them
    box: tuple[int, int, int, int]  # left, top, right, bottom
    words: list[tuple[str, float]]  # in reading (logical) order, with their confidence

    @property
    def text(self) -> str:
        return " ".join(w for w, _ in self.words)

    @property
    def chars(self) -> int:
        return sum(len(w) for w, _ in self.words)

    @property
    def conf(self) -> float:
        """Mean word confidence (0-100) weighted by word length; 0 with no words."""
        n = self.chars
        return sum(len(w) * c for w, c in self.words) / n if n else 0.0


@dataclass(slots=True)
class Reading:
    langs: str
    lines: list[Line]

    @property
    def conf(self) -> float:
        n = sum(x.chars for x in self.lines)
        return sum(x.conf * x.chars for x in self.lines) / n if n else 0.0

    @property
    def text(self) -> str:
        """Lines one to a row, a blank row between paragraphs, as the text renderer."""
        out: list[str] = []
        for i, line in enumerate(self.lines):
            if i and line.key[:2] != self.lines[i - 1].key[:2]:
                out.append("")
            out.append(line.text)
        return "\n".join(out)


def read(image: bytes, langs: str, psm: int, timeout: float) -> Reading:
    """The page's words, line by line in reading order, with Tesseract's confidences:
    its TSV renderer, so text and confidences come from one run."""
    proc = _run(["-l", langs, "--psm", str(psm), "tsv"], image, timeout)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError("ocr-failed", f"tesseract exited {proc.returncode}: {' '.join(detail[-2:])}")
    lines: dict[tuple[int, int, int], Line] = {}
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] not in ("4", "5"):
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            left, top, width, height = (int(x) for x in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        if cols[0] == "4":
            lines[key] = Line(key, (left, top, left + width, top + height), [])
        elif cols[11].strip() and key in lines:
            lines[key].words.append((cols[11].strip(), conf))
    return Reading(langs, [x for x in lines.values() if x.words])
