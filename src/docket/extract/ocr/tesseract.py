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
    proc = _run([str(image), "stdout", "--psm", "0", "-l", "osd"], timeout)
    found = dict(_OSD.findall(proc.stdout))
    if proc.returncode != 0 or "Rotate" not in found:
        return Osd()
    try:
        conf = float(found.get("Orientation confidence", "0"))
    except ValueError:
        conf = 0.0
    return Osd(int(found["Rotate"]) % 360, found.get("Script"), conf)


def recognise(image: Path, langs: str, psm: int, timeout: float) -> str:
    """The page's text in logical (reading) order, as Tesseract writes it."""
    proc = _run([str(image), "stdout", "-l", langs, "--psm", str(psm)], timeout)
    if proc.returncode != 0:
        detail = (proc.stderr or "").strip().splitlines()
        raise OcrError("ocr-failed", f"tesseract exited {proc.returncode}: {' '.join(detail[-2:])}")
    return proc.stdout
