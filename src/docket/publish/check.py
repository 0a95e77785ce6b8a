"""Before anything leaves: each output is read back by Docket's own extractors, OCR
included (the pages are images), and searched for every string that was meant to go —
each redacted span in every spelling the resolution knows, and each metadata value of
the original. OCR misreads, so a redacted string also counts as found when a run of
words of the same length reads within ``FUZZY`` of it; the check errs towards refusing."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from docket.acquire.blobstore import BlobStore
from docket.extract.run import extract_file
from docket.settings import Settings
from docket.text.normalize import tokens

FUZZY = 0.85  # similarity at which an OCR'd run of words counts as the redacted string
FUZZY_MIN = 6  # shorter strings must match exactly (word for word)
META_MIN = 4  # metadata values shorter than this are not searched for (a "1", "en")
_STREAMS = re.compile(rb"stream\r?\n.*?endstream", re.S)


@dataclass(frozen=True)
class Leak:
    item: str
    page: int | None
    what: str  # "text" | "metadata"
    secret: str
    found: str

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page else "the file"
        return f"{self.item}: {where} still has {self.what} {self.secret!r} (read {self.found!r})"


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= FUZZY


def find_in_text(text: str, secret: str) -> str | None:
    """The words of ``text`` that read as ``secret`` (exactly, or nearly for long ones)."""
    want = tokens(secret)
    have = tokens(text)
    if not want:
        return None
    n = len(want)
    joined = " ".join(want)
    for i in range(len(have) - n + 1):
        window = have[i : i + n]
        if window == want:
            return " ".join(window)
        if len(joined) >= FUZZY_MIN and _similar(" ".join(window), joined):
            return " ".join(window)
    # OCR may glue or split words: compare without spaces too
    if len(joined) >= FUZZY_MIN:
        bare, squeezed = joined.replace(" ", ""), "".join(have)
        if bare in squeezed:
            return bare
    return None


def metadata_values(metadata: dict[str, Any]) -> list[str]:
    """The string values of an item's metadata (nested ones too) worth searching for."""
    out: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, str) and len(v.strip()) >= META_MIN:
            out.append(v.strip())
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(metadata)
    return out


def check_output(
    item_id: str,
    output: Path,
    secrets: list[str],
    removed_metadata: list[str],
    settings: Settings,
    visible: dict[int | None, str] | None = None,
) -> list[Leak]:
    """What of ``secrets`` and ``removed_metadata`` can still be read in ``output`` — by
    reading it back, and in ``visible``: the text the renderer left readable on each page
    (OCR may skip a line that a black bar starts; the renderer's account does not)."""
    leaks: list[Leak] = []
    with tempfile.TemporaryDirectory(prefix="docket-check-") as tmp:
        result = extract_file(output, BlobStore(Path(tmp) / "blobs"), extension="pdf",
                              settings=settings)  # fmt: skip
    pages: dict[int | None, str] = {}
    for s in result.segments:
        pages[s.page] = pages.get(s.page, "") + "\n" + s.text
    for secret in dict.fromkeys(secrets):
        for what, texts in (("text", pages), ("text left by the layout", visible or {})):
            for page, text in texts.items():
                found = find_in_text(text, secret)
                if found is not None:
                    leaks.append(Leak(item_id, page, what, secret, found))
    raw = _STREAMS.sub(b"", output.read_bytes())
    meta = " ".join(metadata_values(result.metadata))
    for value in dict.fromkeys(removed_metadata):
        encodings = (value.encode("utf-8"), value.encode("utf-16-be"))
        if value in meta or any(e in raw for e in encodings):
            leaks.append(Leak(item_id, None, "metadata", value, value))
    return leaks
