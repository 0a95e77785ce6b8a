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
``FVEK:TWEAK``) — both in hex. A value is never written to the catalogue, the custody
log or a message: an item records which line of the file opened it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KINDS = ("password", "recovery", "key", "bek")


class KeyFileError(ValueError):
    """The key file cannot be read or a line is not ``kind: value``."""


@dataclass(frozen=True, slots=True)
class Key:
    kind: str
    value: str = ""  # never shown: see ``label``
    line: int = 0

    @property
    def label(self) -> str:
        """How an item says which key opened it: its kind and line, not its value."""
        return f"{self.kind} (key file line {self.line})"

    def hex_bytes(self) -> bytes | None:
        try:
            return bytes.fromhex(self.value.replace(":", "").replace(" ", ""))
        except ValueError:
            return None


def parse_keys(text: str) -> list[Key]:
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
        keys.append(Key(kind, value, n))
    return keys


def load_keys(path: str | Path) -> list[Key]:
    """The keys of the file at ``path``; an empty path means none."""
    if not str(path):
        return []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read the key file {path}: {exc}") from exc
    return parse_keys(text)
