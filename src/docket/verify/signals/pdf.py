"""PDF structure read from the original bytes: revisions, forms and JavaScript.

A PDF saved incrementally keeps every earlier revision and appends the change with its
own cross-reference section and ``%%EOF``; several of them mean the file was changed after
it was first written (an edit, an annotation, a filled form, a signature). Forms and
JavaScript are read from the raw objects and from inside compressed object streams
(PDF 1.5+ stores the catalogue there), inflated with a size cap, never executed.
"""

from __future__ import annotations

import mmap
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docket.verify.signals import ItemView, Signal

_EOF = re.compile(rb"%%EOF")
_STARTXREF = re.compile(rb"startxref\s+\d+")
_ACROFORM = re.compile(rb"/AcroForm(?![A-Za-z0-9])")
_JS = re.compile(rb"/(?:JavaScript|JS)(?![A-Za-z0-9])")
_SIG = re.compile(rb"/Type\s*/Sig(?![A-Za-z0-9])|/ByteRange\s*\[")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm")
_STREAM = re.compile(rb"stream\r?\n")
MAX_INFLATE = 8 * 1024 * 1024  # per object stream: catalogues are small; bombs are not
MAX_STREAMS = 2000


def scan(data: bytes | mmap.mmap) -> dict[str, Any]:
    """Structural facts about a PDF's bytes."""
    head = bytes(data[:1024])
    linearized = b"/Linearized" in head
    eofs = len(_EOF.findall(data))
    facts: dict[str, Any] = {
        "eof_markers": eofs,
        "startxref": len(_STARTXREF.findall(data)),
        # A linearised file has a second %%EOF after its first-page section, by design.
        "revisions": max(1, eofs - (1 if linearized else 0)),
        "linearized": linearized,
        "acroform": bool(_ACROFORM.search(data)),
        "javascript": bool(_JS.search(data)),
        "signed": bool(_SIG.search(data)),
    }
    if not (facts["acroform"] and facts["javascript"]):
        for inner in _object_streams(data):
            facts["acroform"] |= bool(_ACROFORM.search(inner))
            facts["javascript"] |= bool(_JS.search(inner))
            facts["signed"] |= bool(_SIG.search(inner))
    return facts


def _object_streams(data: bytes | mmap.mmap) -> Iterator[bytes]:
    for n, m in enumerate(_OBJSTM.finditer(data)):
        if n >= MAX_STREAMS:
            return
        start = _STREAM.search(data, m.end())
        if start is None:
            continue
        end = data.find(b"endstream", start.end())
        if end < 0:
            continue
        try:
            yield zlib.decompressobj().decompress(bytes(data[start.end() : end]), MAX_INFLATE)
        except zlib.error:
            continue  # not Flate, or damaged: nothing to read


def scan_file(path: Path) -> dict[str, Any] | None:
    try:
        with open(path, "rb") as f:
            if f.seek(0, 2) == 0:
                return None
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return scan(data)
    except (OSError, ValueError):
        return None


def check(view: ItemView) -> Iterator[Signal]:
    if view.item.get("type") != "pdf" or view.blob is None:
        return
    facts = scan_file(view.blob)
    if facts is None:
        return
    if facts["revisions"] > 1:
        signed = (
            " (it carries a digital signature, which is added this way)" if facts["signed"] else ""
        )
        yield Signal(
            view.id,
            "pdf-incremental-update",
            "low" if facts["signed"] else "medium",
            f"the file holds {facts['revisions']} revisions: it was changed after it was "
            f"first written{signed}",
            facts,
        )
    if facts["acroform"]:
        yield Signal(
            view.id,
            "pdf-form",
            "low",
            "the PDF has interactive form fields (/AcroForm): its visible values may have "
            "been typed in after it was made",
            facts,
        )
    if facts["javascript"]:
        yield Signal(
            view.id,
            "pdf-javascript",
            "medium",
            "the PDF carries JavaScript (/JavaScript or /JS): unusual in an office document; "
            "it can change what is shown. Not run by Docket",
            facts,
        )
