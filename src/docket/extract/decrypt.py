"""Encrypted Office documents opened with the user's passwords (``msoffcrypto-tool``):
OOXML packages with agile or standard encryption (the ``EncryptedPackage`` OLE file Word,
Excel and PowerPoint write), and legacy Word, Excel and PowerPoint 97-2003 files (RC4
and RC4 CryptoAPI).

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
from docket.model.errors import Code, ExtractError

# Types whose ``EncryptedError`` msoffcrypto may lift ("ole": an encrypted package whose
# extension did not say which kind it is).
OFFICE = frozenset({"docx", "xlsx", "pptx", "ole", "doc", "xls", "ppt"})


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
        sink.blobs.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=sink.blobs.tmp, prefix="decrypted-")
        os.close(fd)
        plain = Path(name)
        try:

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
        finally:
            plain.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fp:
        while chunk := fp.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
