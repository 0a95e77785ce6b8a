"""The passwords the user supplies for encrypted documents and archives
(``docket ingest --passwords FILE``, setting ``passwords``), tried in order on every
encrypted Office and OpenDocument document, PDF, zip and 7z archive, and encrypted disk
volume (``docket.extract.disk.keys.listed_keys``) until one opens it.

The file is UTF-8 text, one password a line, taken exactly as written (spaces and ``#``
included: they may be part of a password); only the line break is removed, and blank
lines are skipped. The ``password:`` lines of the key file (``--key-file``,
``docket.extract.disk.keys``) are secrets of the same kind, so they are tried after the
list: one home for "what the user gave to open things".

A password is never written to the catalogue, the index, the custody log or a message:
an item opened with one records ``decrypted`` — where the password came from, its line
and the SHA-256 of that file (``Password.record``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from docket.model.errors import EncryptedError
from docket.settings import Settings

T = TypeVar("T")
DECRYPTED = "decrypted"  # the metadata key of an item (or member) a password opened
LIST, KEY_FILE = "password list", "key file"


# The types a password may open (an encrypted Office package of unknown kind is "ole");
# RAR is not among them: libarchive does not decrypt it.
OPENS = frozenset(
    {"docx", "xlsx", "pptx", "ole", "doc", "xls", "ppt", "odt", "odp", "ods", "pdf", "zip", "7z"}
)


class PasswordFileError(ValueError):
    """The password list cannot be read (missing, not UTF-8) or holds no password."""


@dataclass(frozen=True, slots=True)
class Password:
    value: str = field(repr=False)  # never shown: see ``record``
    line: int
    source: str = LIST
    file_sha256: str = ""

    def record(self) -> dict[str, Any]:
        """What an opened item says about the password: its file and line, not its value."""
        return {"source": self.source, "line": self.line, "file_sha256": self.file_sha256}


def parse(data: bytes, source: str = LIST) -> list[Password]:
    """The passwords of a list's bytes; ``UnicodeDecodeError`` when it is not UTF-8."""
    digest = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8-sig")
    # Only \n and \r\n end a line: str.splitlines would also split on characters a
    # password may hold (\x0b, \x1c, U+2028…).
    return [
        Password(line.removesuffix("\r"), n, source, digest)
        for n, line in enumerate(text.split("\n"), 1)
        if line.removesuffix("\r")
    ]


def load(path: str | Path) -> list[Password]:
    """The passwords of the file at ``path``; an empty path means none."""
    if not str(path):
        return []
    try:
        data = Path(path).read_bytes()
        return parse(data)
    except OSError as exc:
        raise PasswordFileError(f"cannot read the password list {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:  # the message names a position, never the text
        raise PasswordFileError(
            f"the password list {path} is not UTF-8 (byte {exc.start})"
        ) from None


@lru_cache(maxsize=4)
def _cached(path: str, key_file: str, stamp: tuple[int, ...]) -> tuple[Password, ...]:
    found = load(path)
    if key_file:
        from docket.extract.disk.keys import KeyFileError, load_keys

        try:
            raw = Path(key_file).read_bytes()
            keys = load_keys(key_file)
        except (OSError, KeyFileError):
            keys, raw = [], b""  # the disk extractor reports a bad key file
        digest = hashlib.sha256(raw).hexdigest()
        found += [Password(k.value, k.line, KEY_FILE, digest) for k in keys if k.kind == "password"]
    return tuple(found)


def _stamp(*paths: str) -> tuple[int, ...]:
    out: list[int] = []
    for p in paths:
        try:
            st = os.stat(p) if p else None
        except OSError:
            st = None
        out += [st.st_mtime_ns, st.st_size] if st else [0, 0]
    return tuple(out)


def candidates(settings: Settings) -> tuple[Password, ...]:
    """Every password to try, in order: the list, then the key file's ``password:`` lines.
    Read once per worker process (again when either file changes)."""
    path, key_file = settings.passwords, settings.key_file
    if not path and not key_file:
        return ()
    return _cached(path, key_file, _stamp(path, key_file))


def unlock(
    settings: Settings,
    what: str,
    attempt: Callable[[Password], T | None],
    keepalive: Callable[[float], None] | None = None,
) -> tuple[T, Password]:
    """Try each password on one encrypted thing: ``attempt`` returns what it opened, or
    None when the password is wrong. Raises ``EncryptedError`` — ``what``, and how many
    passwords were tried — when none opens it. ``attempt`` must not let an exception
    that quotes the password escape."""
    try:
        tried = candidates(settings)
    except PasswordFileError as exc:
        raise EncryptedError(f"{what}; {exc}") from None
    if not tried:
        raise EncryptedError(f"{what}; passwords can be given with docket ingest --passwords")
    for n, password in enumerate(tried):
        if keepalive is not None and n % 16 == 0:  # an Office key costs ~0.1 s a try
            keepalive(60.0)
        opened = attempt(password)
        if opened is not None:
            return opened, password
    raise EncryptedError(f"{what}: {tried_message(len(tried))}")


def tried_message(n: int) -> str:
    return f"none of the {n} password{'s' if n != 1 else ''} tried opens it"


def encodings(value: str) -> list[bytes]:
    """The bytes a password may have been typed as, for formats that store bytes (zip):
    UTF-8 first, then the Arabic Windows ANSI and DOS code pages that older zip tools use."""
    out: list[bytes] = []
    for codec in ("utf-8", "cp1256", "cp720"):
        try:
            raw = value.encode(codec)
        except UnicodeEncodeError:
            continue
        if raw not in out:
            out.append(raw)
    return out
