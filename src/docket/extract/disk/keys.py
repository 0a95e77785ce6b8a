"""The key file for encrypted volumes (``docket ingest --key-file keys.txt``, setting
``key_file``): one ``kind: value`` a line, tried in order on every encrypted volume
(BitLocker, LUKS, FileVault 2 on CoreStorage or APFS) until one opens it.

    # blank lines and lines starting with # are ignored
    password: correct horse battery staple
    recovery: 471207-278498-422125-177177-561902-537405-468468-237204
    key: 6c0a8e1f...             (the volume's master key, in hex)
    bek: /evidence/keys/3F2A...BEK  (a BitLocker startup key file)

``password`` opens LUKS, BitLocker and FileVault; ``recovery`` is a BitLocker recovery
password or a FileVault recovery key; ``key`` a LUKS master key, or BitLocker's FVEK (or
``FVEK:TWEAK``) — both in hex. The password list (``--passwords FILE``,
``docket.extract.passwords``) is tried too, after the key file, each line a ``password``
(``volume_keys``). A value is never written to the catalogue, the custody log or a
message: an item records which line of which file opened it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docket.settings import Settings

KINDS = ("password", "recovery", "key", "bek")
KEY_FILE = "key file"  # also docket.extract.passwords.KEY_FILE


class KeyFileError(ValueError):
    """The key file cannot be read or a line is not ``kind: value``."""


@dataclass(frozen=True, slots=True)
class Key:
    kind: str
    value: str = ""  # never shown: see ``label``
    line: int = 0
    source: str = KEY_FILE  # or "password list"
    file_sha256: str = ""  # of the file the key came from

    @property
    def label(self) -> str:
        """How an item says which key opened it: its kind, file and line, not its value."""
        return f"{self.kind} ({self.source} line {self.line})"

    def record(self) -> dict[str, Any]:
        """The custody record of a volume this key opened (``decrypted``, as a document
        a password opened records): the file and line, never the value."""
        return {"source": self.source, "line": self.line, "file_sha256": self.file_sha256}

    def hex_bytes(self) -> bytes | None:
        try:
            return bytes.fromhex(self.value.replace(":", "").replace(" ", ""))
        except ValueError:
            return None


def parse_keys(text: str, file_sha256: str = "") -> list[Key]:
    keys: list[Key] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, sep, value = line.partition(":")
        kind = kind.strip().lower()
        if not sep or kind not in KINDS or not value.strip():
            raise KeyFileError(
                f"line {n}: expected 'kind: value' with kind one of {', '.join(KINDS)}"
            )
        value = value.strip()
        if kind == "key" and Key(kind, value).hex_bytes() is None:
            raise KeyFileError(f"line {n}: a 'key' is hexadecimal")
        keys.append(Key(kind, value, n, KEY_FILE, file_sha256))
    return keys


def load_keys(path: str | Path) -> list[Key]:
    """The keys of the file at ``path``; an empty path means none."""
    if not str(path):
        return []
    try:
        raw = Path(path).read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read the key file {path}: {exc}") from exc
    return parse_keys(text, hashlib.sha256(raw).hexdigest())


def listed_keys(settings: Settings) -> list[Key]:
    """The password list (``--passwords``) as ``password`` keys, tried on an encrypted
    volume after the key file's lines. Raises ``PasswordFileError`` when it cannot be read."""
    from docket.extract.passwords import LIST, candidates

    return [
        Key("password", p.value, p.line, LIST, p.file_sha256)
        for p in candidates(settings)
        if p.source == LIST
    ]
