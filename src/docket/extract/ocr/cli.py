"""The ``tesseract`` executable as a subprocess: the fallback when the C API binding
(``capi.py``) cannot be imported. Each call starts a process and loads the model again
(about 50 ms a line image, more than the recognition itself), so it is the slower path.

``OMP_THREAD_LIMIT=1`` keeps N workers from starting N x cores OpenMP threads
(Debian's Tesseract is built with OpenMP, whose threading slows down badly when
oversubscribed).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from functools import cache

from PIL import Image

from docket.extract.ocr.errors import OcrError

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
_OSD = re.compile(r"^(Rotate|Script|Orientation confidence|Script confidence):\s*(\S+)", re.M)
_DATAPATH = re.compile(r'"(.+?)/?"')


@cache
def binary() -> str | None:
    """Path of the ``tesseract`` executable, or None when it is not installed."""
    return shutil.which("tesseract")


@cache
def languages() -> tuple[str | None, frozenset[str]]:
    """The executable's tessdata folder and the languages installed there."""
    exe = binary()
    if exe is None:
        return None, frozenset()
    try:
        proc = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, env=_ENV
        )
    except (OSError, subprocess.TimeoutExpired):
        return None, frozenset()
    lines = proc.stdout.splitlines()
    found = _DATAPATH.search(lines[0]) if lines else None
    langs = frozenset(x.strip() for x in lines[1:] if x.strip())
    return (found.group(1) if found else None), langs


@cache
def version() -> str:
    exe = binary()
    if exe is None:
        return ""
    proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    first = (proc.stdout or proc.stderr).splitlines()
    return first[0].strip() if first else ""


def encode(image: Image.Image) -> bytes:
    """A lightly compressed PNG: Tesseract reads stdin a character at a time, so the
    few hundred kilobytes of a PNG reach it sooner than the megabytes of a raw PGM
    (measured: a raw page cost 10-15% more Tesseract time than the same page as PNG).
    The resolution goes with it (``dpi``), as the C API is told it."""
    buf = io.BytesIO()
    dpi = image.info.get("dpi")
    image.save(buf, "PNG", compress_level=1, **({"dpi": dpi} if dpi else {}))
    return buf.getvalue()


def _run(args: list[str], image: Image.Image, timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Tesseract on ``image``, passed on stdin: no temporary file."""
    exe = binary()
    if exe is None:
        raise OcrError("ocr-failed", "tesseract is not installed")
    try:
        return subprocess.run(
            [exe, "-", "stdout", *args],
            input=encode(image),
            capture_output=True,
            timeout=timeout,
            env=_ENV,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("timeout", f"tesseract ran past {timeout:g} s and was stopped") from exc
    except OSError as exc:
        raise OcrError("ocr-failed", f"tesseract could not start: {exc}") from exc


def osd(image: Image.Image, characters: int, timeout: float) -> tuple[int, str | None, float]:
    """``(rotate, script, confidence)``; upright with no script when OSD finds too little."""
    args = ["--psm", "0", "-l", "osd", "-c", f"min_characters_to_try={characters}"]
    proc = _run(args, image, timeout)
    found = dict(_OSD.findall(proc.stdout.decode("utf-8", "replace")))
    if proc.returncode != 0 or "Rotate" not in found:
        return 0, None, 0.0
    try:
        conf = float(found.get("Orientation confidence", "0"))
    except ValueError:
        conf = 0.0
    return int(found["Rotate"]) % 360, found.get("Script"), conf


def tsv(image: Image.Image, langs: str, psm: int, variables: dict[str, str], timeout: float) -> str:
    """Tesseract's TSV rendering of ``image``."""
    extra = [x for k, v in variables.items() for x in ("-c", f"{k}={v}")]
    proc = _run(["-l", langs, "--psm", str(psm), *extra, "tsv"], image, timeout)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError("ocr-failed", f"tesseract exited {proc.returncode}: {' '.join(detail[-2:])}")
    return proc.stdout.decode("utf-8", "replace")
