"""Password-protected zip members opened with the user's passwords
(``docket.extract.passwords``): traditional PKWARE encryption (ZipCrypto) and WinZip AES
(AE-1, AE-2), both through ``pyzipper``.

ZipCrypto checks a password against one byte of its header, so one wrong password in
256 passes that check and decrypts to garbage; AES checks two bytes before its MAC at
the end. A member is therefore read through once, CRC (or MAC) checked, before its bytes
are stored: a blob is never written from a wrong password. The password that opened the
last member is tried first on the next (archives usually have one).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from docket.extract.packages._common import read_chunks
from docket.extract.passwords import DECRYPTED, Password, candidates, encodings, tried_message
from docket.extract.sink import Sink
from docket.model.errors import Code, LimitExceeded


class ZipPasswords:
    """The encrypted members of one zip, opened with the run's passwords."""

    def __init__(self, path: Path, sink: Sink) -> None:
        self.path, self.sink = path, sink
        self.passwords = list(candidates(sink.settings))
        self.archive: Any = None
        self.opened = 0

    def __bool__(self) -> bool:
        return bool(self.passwords)

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def member(self, index: int, info: zipfile.ZipInfo, name: str, meta: dict[str, Any]) -> bool:
        """Store member ``index`` decrypted; False (recorded ``encrypted``) when no
        password opens it."""
        try:
            if self.archive is None:
                import pyzipper

                self.archive = pyzipper.AESZipFile(self.path)
            entry = self.archive.infolist()[index]
            entry.header_offset = info.header_offset  # as zip.py corrected it
        except Exception as exc:  # the stdlib read the directory, pyzipper does not
            message = f"password-protected member; cannot be decrypted: {type(exc).__name__}"
            self.sink.child_error(name, Code.ENCRYPTED, message, status="encrypted", meta=meta)
            return False
        found = self._find(entry)
        if found is None:
            self.sink.child_error(
                name,
                Code.ENCRYPTED,
                f"password-protected member: {tried_message(len(self.passwords))}",
                status="encrypted",
                meta=meta,
            )
            return False
        password, raw = found
        # The password that opened this member goes first for the next one.
        self.passwords.remove(password)
        self.passwords.insert(0, password)
        self.opened += 1
        meta = meta | {DECRYPTED: password.record()}
        try:
            with self.archive.open(entry, pwd=raw) as stream:
                self.sink.child(name, read_chunks(stream), meta=meta)
        except LimitExceeded:
            raise
        except Exception as exc:  # checked once already: the file changed, or a bug
            message = f"decrypted but unreadable: {type(exc).__name__}"
            self.sink.child_error(name, Code.CORRUPT, message, meta=meta)
            self.sink.warn(Code.CORRUPT, f"member {name!r} {message}")
        return True

    def _find(self, entry: Any) -> tuple[Password, bytes] | None:
        for n, password in enumerate(self.passwords):
            if n % 16 == 0:
                self.sink.keepalive(60.0)
            for raw in encodings(password.value):
                if self._reads(entry, raw):
                    return password, raw
        return None

    def _reads(self, entry: Any, raw: bytes) -> bool:
        """Whether the member decrypts and checks out with ``raw``. Never more than the
        sink may still expand is read: past that, storing it stops at the limit anyway."""
        budget = self.sink._budget()
        try:
            with self.archive.open(entry, pwd=raw) as stream:
                for chunk in read_chunks(stream):
                    budget -= len(chunk)
                    if budget < 0:
                        return True
        except Exception:  # wrong password, bad CRC or MAC, garbage deflate data
            return False
        return True
