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
from pathlib import Path

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


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    exe = binary()
    if exe is None:
        raise OcrError("ocr-failed", "tesseract is not installed")
    try:
        return subprocess.run(
            [exe, *args], capture_output=True, text=True, timeout=timeout, env=_ENV
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", f"tesseract ran past {timeout:g} s and was stopped") from exc
    except OSError as exc:
        raise OcrError("ocr-failed", f"tesseract could not start: {exc}") from exc


def detect_osd(image: Path, timeout: float) -> Osd:
    """Orientation and script of a page. Pages with too little text for OSD (a short
    line, a stamp) come back as upright with no script: the caller then uses every
    configured language."""
    if "osd" not in installed_languages():
        return Osd()
    args = ["--psm", "0", "-l", "osd", "-c", f"min_characters_to_try={OSD_CHARACTERS}"]
    proc = _run([str(image), "stdout", *args], timeout)
    found = dict(_OSD.findall(proc.stdout))
    if proc.returncode != 0 or "Rotate" not in found:
        return Osd()
    try:
        conf = float(found.get("Orientation confidence", "0"))
    except ValueError:
        conf = 0.0
    return Osd(int(found["Rotate"]) % 360, found.get("Script"), conf)


def _check(proc: subprocess.CompletedProcess[str]) -> None:
    if proc.returncode != 0:
        detail = (proc.stderr or "").strip().splitlines()
        raise OcrError("ocr-failed", f"tesseract exited {proc.returncode}: {' '.join(detail[-2:])}")


def recognise(image: Path, langs: str, psm: int, timeout: float) -> str:
    """The page's text in logical (reading) order, as Tesseract writes it."""
    proc = _run([str(image), "stdout", "-l", langs, "--psm", str(psm)], timeout)
    _check(proc)
    return proc.stdout


def recognise_scored(image: Path, langs: str, psm: int, timeout: float) -> tuple[str, float]:
    """The text, as ``recognise``, and Tesseract's mean word confidence (0-100, weighted
    by word length; 0 when no word was read), both from one run: the plain-text and the
    TSV renderers write next to the image."""
    base = image.with_name(image.stem + "-out")
    _check(_run([str(image), str(base), "-l", langs, "--psm", str(psm), "txt", "tsv"], timeout))
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    total = weighted = 0.0
    for row in base.with_suffix(".tsv").read_text(encoding="utf-8").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[0] == "5" and cols[11].strip():
            try:
                conf = float(cols[10])
            except ValueError:
                continue
            total += len(cols[11])
            weighted += conf * len(cols[11])
    return text, weighted / total if total else 0.0
