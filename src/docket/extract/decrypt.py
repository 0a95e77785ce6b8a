"""Encrypted Office documents opened with the user's passwords (``msoffcrypto-tool``):
OOXML packages with agile or standard encryption (the ``EncryptedPackage`` OLE file Word,
Excel and PowerPoint write), and legacy Word, Excel and PowerPoint 97-2003 files (RC4
and RC4 CryptoAPI); and encrypted OpenDocument text, presentations and spreadsheets
(``documents/_odfcrypt.py``).

The plaintext is written to a temporary file inside the case's blob store (never beside
the evidence, never under the system's temp folder), read by the extractor of the type
it turns out to be, and removed; the item keeps the encrypted original's hashes and
records which password opened it and the plaintext's SHA-256 (``decrypted``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docket.extract.passwords import Password, unlock
from docket.extract.sink import Sink
from docket.model.errors import Code, EncryptedError, ExtractError, LimitExceeded

# Types whose ``EncryptedError`` msoffcrypto may lift ("ole": an encrypted package whose
# extension did not say which kind it is).
OFFICE = frozenset({"docx", "xlsx", "pptx", "ole", "doc", "xls", "ppt"})
ODF = frozenset({"odt", "odp", "ods"})
LOCKED = OFFICE | ODF  # the types whose EncryptedError a password may lift here


def plaintext(
    kind: str, path: Path, sink: Sink, what: str
) -> contextlib.AbstractContextManager[tuple[Path, dict[str, Any]] | None]:
    """The opener for an item of type ``kind`` (one of ``LOCKED``)."""
    return odf(path, sink, what, kind) if kind in ODF else office(path, sink, what)


@contextlib.contextmanager
def _scratch(sink: Sink, suffix: str = "") -> Iterator[Path]:
    """A temporary file inside the case's blob store, removed after the block (named
    with the type's extension: calamine tells an ODS workbook by its name)."""
    sink.blobs.tmp.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=sink.blobs.tmp, prefix="decrypted-", suffix=suffix)
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


@contextlib.contextmanager
def odf(
    path: Path, sink: Sink, what: str, kind: str = "odt"
) -> Iterator[tuple[Path, dict[str, Any]] | None]:
    """The plaintext package of an encrypted ODF document and its ``decrypted`` record,
    while the block runs. Raises ``EncryptedError`` when no password opens it or its
    cipher is not one read here."""
    import zipfile

    from docket.extract.documents._odfcrypt import Package, Unsupported

    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        yield None
        return
    with z, _scratch(sink, f".{kind}") as plain:
        try:
            package = Package(z)
        except Unsupported as exc:  # still encrypted, saying with what
            raise EncryptedError(f"{what}; its {exc} is not one Docket decrypts") from None

        def attempt(password: Password) -> Password | None:
            try:
                return password if package.opens(password.value) else None
            except Unsupported as exc:  # no password would do: say why (never the password)
                raise EncryptedError(f"{what}; its {exc} cannot be computed here") from None

        _, password = unlock(sink.settings, what, attempt, sink.keepalive)
        try:
            package.plaintext(password.value, plain, sink.limits.max_expanded)
        except LimitExceeded:
            raise
        except (ExtractError, ValueError, zipfile.BadZipFile, OSError) as exc:
            why = exc.message if isinstance(exc, ExtractError) else type(exc).__name__
            raise ExtractError(
                Code.CORRUPT,
                f"{what}: the password on line {password.line} of the {password.source}"
                f" is right but the package does not decrypt ({why})",
            ) from None
        yield plain, password.record() | {"plaintext_sha256": _sha256(plain)}


@contextlib.contextmanager
def office(path: Path, sink: Sink, what: str) -> Iterator[tuple[Path, dict[str, Any]] | None]:
    """The plaintext of an encrypted Office file and its ``decrypted`` record, while the
    block runs; None when msoffcrypto cannot read this file's encryption at all (the
    item stays as it was). Raises ``EncryptedError`` when no password opens it."""
    import msoffcrypto
    from msoffcrypto.exceptions import InvalidKeyError

    with open(path, "rb") as fp:
        try:
            doc = msoffcrypto.OfficeFile(fp)
            if not doc.is_encrypted():
                yield None
                return
        except Exception:  # not a format msoffcrypto knows (IRM, damaged): as it was
            yield None
            return
        with _scratch(sink) as plain:

            def attempt(password: Password) -> Password | None:
                verified = True
                try:
                    try:
                        doc.load_key(password=password.value, verify_password=True)
                    except TypeError:  # the 97-2003 formats verify in decrypt()
                        verified = False
                        doc.load_key(password=password.value)
                except Exception:  # a wrong password (never quoted: nothing is shown)
                    return None
                try:
                    with open(plain, "wb") as out:
                        doc.decrypt(out)
                except Exception as exc:
                    if not verified or isinstance(exc, InvalidKeyError):
                        return None
                    raise ExtractError(
                        Code.CORRUPT,
                        f"{what}: the password on line {password.line} of the {password.source}"
                        f" is right but the package does not decrypt ({type(exc).__name__})",
                    ) from None
                return password

            _, password = unlock(sink.settings, what, attempt, sink.keepalive)
            record = password.record() | {"plaintext_sha256": _sha256(plain)}
            yield plain, record


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fp:
        while chunk := fp.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
