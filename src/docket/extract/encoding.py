"""Guess the encoding of text bytes, with a bias for Arabic single-byte code pages.

Shared by every extractor that reads raw text (CSV, plain text, e-mail parts without a
charset). charset-normalizer often reads Windows-1256 or ISO-8859-6 Arabic as a Cyrillic
or Latin code page, because every byte decodes to *something*; a cheap scorer on the
decoded text (share of Arabic letters, common Arabic words, words mixing scripts) settles it.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import TextIO

HEAD = 256 * 1024  # bytes read to guess a file's encoding

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
ARABIC_CODEPAGES = ("cp1256", "iso8859-6")
_LATIN_PAGES = frozenset(
    [
        "latin_1",
        "iso8859_2",
        "iso8859_9",
        "iso8859_15",
        "cp1250",
        "cp1254",
        "cp1257",
        "mac_roman",
        "cp850",
        "cp437",
    ]
)
_COMMON_CODECS = frozenset(
    [
        "ascii",
        "utf_8",
        "cp1252",
        "latin_1",
        "iso8859_15",
        "cp1250",
        "cp1251",
        "cp1253",
        "cp1254",
        "cp1255",
        "cp1256",
        "iso8859_6",
        "koi8_r",
        "gb18030",
        "gb2312",
        "big5",
        "shift_jis",
        "cp932",
        "euc_jp",
        "euc_kr",
        "utf_16",
        "utf_32",
    ]
)
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
# The article "ال" and a few very common short words: frequent in any Arabic prose.
_COMMON = re.compile(r"ال|من|في|على|إلى|عن")


def bom_encoding(head: bytes) -> tuple[str, int] | None:
    """The codec named by a byte-order mark and the mark's length, if there is one."""
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 without a BOM."""
    sample = head[:8192]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    # ASCII text has its zero bytes on one side; Arabic (U+06xx) its 0x06 high bytes.
    high = (0x00, 0x06)
    even_high = sum(1 for b in even if b in high)
    odd_high = sum(1 for b in odd if b in high)
    if odd_high > len(odd) * 0.6 and even_high < len(even) * 0.3:
        return "utf-16-le"
    if even_high > len(even) * 0.6 and odd_high < len(odd) * 0.3:
        return "utf-16-be"
    return None


def arabic_score(text: str) -> float:
    """How much ``text`` reads like Arabic: higher is better; negative means garbled."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0
    arabic = len(_ARABIC_LETTER.findall(text))
    mixed = sum(
        1 for w in _WORD.findall(text) if _ARABIC_LETTER.search(w) and re.search(r"[A-Za-zÀ-ÿ]", w)
    )
    common = len(_COMMON.findall(text))
    bad = text.count("\ufffd")
    return arabic / letters + 3 * common / letters - 5 * (mixed + bad) / max(1, letters // 4)


def is_mostly_arabic(text: str, share: float = 0.5) -> bool:
    letters = len(_LETTER.findall(text))
    return bool(letters) and len(_ARABIC_LETTER.findall(text)) / letters > share


def guess_encoding(head: bytes, *, complete: bool = True) -> str:
    """The most likely codec for ``head`` (the start of a file, or all of it).

    ``complete`` is False when ``head`` is cut from a longer file, so a multi-byte
    character split at the end must not count against UTF-8.
    """
    found = bom_encoding(head)
    if found:
        return found[0]
    utf16 = utf16_without_bom(head)
    if utf16:
        return utf16
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best_arabic, best_score = None, 0.0
    for codec in ARABIC_CODEPAGES:
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue  # ISO-8859-6 leaves many bytes undefined: a strict failure rules it out
        # A third of the letters is enough: Arabic letters mixed with English lines.
        if is_mostly_arabic(text, 0.3):
            score = arabic_score(text)
            if score > 0 and (best_arabic is None or score > best_score):
                best_arabic, best_score = codec, score
    if best_arabic:
        return best_arabic
    return _normalizer_guess(head)


def _normalizer_guess(head: bytes) -> str:
    from charset_normalizer import from_bytes

    match = from_bytes(head[:65536]).best()
    if match is None or not match.encoding:
        return "cp1252"
    codec = match.encoding
    # On short samples charset-normalizer picks rare code pages (cp775 for French), a
    # sibling that reads the same, or another Latin page (ń or ñ?); Windows-1252 is by
    # far the likeliest in this field's caches, so it wins whenever it decodes cleanly.
    try:
        latin = head.decode("cp1252")
        if codec not in _COMMON_CODECS or codec in _LATIN_PAGES or latin == str(match):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    # A Latin single-byte guess for text that is really Arabic is the classic mistake.
    if codec not in ARABIC_CODEPAGES and not is_mostly_arabic(str(match)):
        for arabic in ARABIC_CODEPAGES:
            try:
                if is_mostly_arabic(head.decode(arabic)):
                    return arabic
            except UnicodeDecodeError:
                continue
    return codec


def decode(data: bytes, codec: str | None = None) -> tuple[str, str]:
    """Decode ``data`` whole (for small texts); returns (text, codec used).

    A declared ``codec`` that is unknown, or that the bytes contradict (a Latin label on
    Arabic bytes, the classic mislabel), is replaced by a guess.
    """
    if codec:
        codec = _usable(codec, data)
    codec = codec or guess_encoding(data)
    return data.decode(codec, errors="replace").lstrip("\ufeff"), codec


def _usable(codec: str, data: bytes) -> str | None:
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return None
    if name in ("ascii", "us-ascii", "latin-1", "iso8859-1", "cp1252"):
        guess = guess_encoding(data)
        if guess in ARABIC_CODEPAGES or guess.startswith("utf-8"):
            return guess
    return name


def open_text(path: Path) -> tuple[TextIO, str]:
    """A text stream over the file at ``path`` (decoded lazily) and the codec guessed.

    ``newline=""`` keeps line endings as they are, which the csv module needs to read
    quoted fields that contain newlines.
    """
    with open(path, "rb") as f:
        head = f.read(HEAD)
        complete = not f.read(1)
    codec = guess_encoding(head, complete=complete)
    raw = open(path, "rb")  # noqa: SIM115 -- returned inside the TextIOWrapper, which closes it
    bom = bom_encoding(head)
    if bom and codec != "utf-8-sig":
        raw.seek(bom[1])
    stream = io.TextIOWrapper(raw, encoding=codec, errors="replace", newline="")
    return stream, codec
