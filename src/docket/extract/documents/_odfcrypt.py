"""Password-encrypted OpenDocument packages (ODF 1.2 part 3, section 3.4; LibreOffice's
later AES-GCM and Argon2id), decrypted with the ``cryptography`` package.

Each encrypted member has an ``encryption-data`` element in META-INF/manifest.xml: a
start key (SHA-256 or SHA-1 of the UTF-8 password), a derived key (PBKDF2-HMAC-SHA1, or
Argon2id), a cipher (AES-256-CBC, the default since OpenOffice 3.4; Blowfish CFB, the
older default; AES-256-GCM) and, for the unauthenticated ciphers, a digest of the first
1024 bytes of the decrypted member that tells a right password from a wrong one. The
member's plaintext is raw-deflated before it is encrypted. A package LibreOffice writes
with "wholesome" encryption holds one encrypted member, ``encrypted-package``, which is
the whole document package.

``Package.plaintext`` writes an ordinary package: every member decrypted (the manifest
without its encryption data), or the inner package of a wholesome one."""

from __future__ import annotations

import base64
import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from docket.extract.documents._common import parse_xml, read_member
from docket.model.errors import Code, ExtractError, LimitExceeded

M = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"
WHOLE = "encrypted-package"
_AES_CBC = "http://www.w3.org/2001/04/xmlenc#aes256-cbc"
_AES_GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
_BLOWFISH = ("blowfish cfb", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#blowfish")
_ARGON2ID = "urn:org:documentfoundation:names:experimental:office:manifest:argon2id"
_MAX_ITERATIONS = 10_000_000  # PBKDF2 rounds a hostile manifest cannot push past
_MAX_ARGON_KIB = 4 * 1024 * 1024


def is_encrypted(path: Path) -> bool:
    """Whether an ODF package's manifest names encrypted members (False when unreadable)."""
    try:
        with zipfile.ZipFile(path) as z:
            return b"encryption-data" in read_member(z, "META-INF/manifest.xml", "ODF")
    except (ExtractError, zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


class Unsupported(ValueError):
    """An algorithm this reader does not handle (named)."""


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _tail(name: str | None) -> str:
    """The algorithm's short name: ``sha256`` for ``…xmldsig#sha256``."""
    return (name or "").rsplit("#", 1)[-1].strip().lower()


@dataclass(slots=True)
class Entry:
    """One encrypted member and how it was encrypted."""

    path: str
    cipher: str  # aes-cbc, aes-gcm, blowfish
    iv: bytes
    kdf: str  # pbkdf2, argon2id
    salt: bytes
    iterations: int
    key_size: int
    start: str  # sha256, sha1
    checksum: bytes
    checksum_kind: str  # sha256-1k, sha1-1k, "" (none)
    size: int
    argon: tuple[int, int, int] = (0, 0, 0)  # passes, memory KiB, lanes

    @classmethod
    def parse(cls, path: str, size: str | None, data: Any) -> Entry:
        alg = data.find(f"{M}algorithm")
        kd = data.find(f"{M}key-derivation")
        sk = data.find(f"{M}start-key-generation")
        if alg is None or kd is None:
            raise Unsupported(f"{path}: encryption data without algorithm or key derivation")
        name = (alg.get(f"{M}algorithm-name") or "").strip()
        if name == _AES_CBC:
            cipher = "aes-cbc"
        elif name == _AES_GCM:
            cipher = "aes-gcm"
        elif name.lower() in _BLOWFISH:
            cipher = "blowfish"
        else:
            raise Unsupported(f"cipher {name or 'none'}")
        derivation = (kd.get(f"{M}key-derivation-name") or "").strip()
        if derivation == _ARGON2ID:
            kdf = "argon2id"
        elif _tail(derivation) == "pbkdf2":
            kdf = "pbkdf2"
        else:
            raise Unsupported(f"key derivation {derivation or 'none'}")
        start = "sha1" if sk is None else _tail(sk.get(f"{M}start-key-generation-name"))
        if start not in ("sha1", "sha256"):
            raise Unsupported(f"start key {start}")
        iterations = int(kd.get(f"{M}iteration-count") or 0)
        if iterations > _MAX_ITERATIONS:
            raise Unsupported(f"PBKDF2 with {iterations} iterations")
        argon = tuple(
            int(kd.get(f"{LOEXT}argon2-{k}") or 0) for k in ("iterations", "memory", "lanes")
        )
        if kdf == "argon2id" and (argon[1] > _MAX_ARGON_KIB or argon[0] > 1000):
            raise Unsupported(f"Argon2id with {argon[1]} KiB and {argon[0]} passes")
        default = 16 if cipher == "blowfish" else 32
        return cls(
            path=path,
            cipher=cipher,
            iv=_b64(alg.get(f"{M}initialisation-vector")),
            kdf=kdf,
            salt=_b64(kd.get(f"{M}salt")),
            iterations=iterations,
            key_size=int(kd.get(f"{M}key-size") or default),
            start=start,
            checksum=_b64(data.get(f"{M}checksum")),
            checksum_kind=_tail(data.get(f"{M}checksum-type")),
            size=int(size or 0),
            argon=argon,  # type: ignore[arg-type]
        )

    def key(self, password: str) -> bytes:
        start = hashlib.new(self.start, password.encode("utf-8")).digest()
        if self.kdf == "pbkdf2":
            return hashlib.pbkdf2_hmac("sha1", start, self.salt, self.iterations, self.key_size)
        from argon2.exceptions import HashingError
        from argon2.low_level import Type, hash_secret_raw

        passes, memory, lanes = self.argon
        try:
            return hash_secret_raw(
                start, self.salt, time_cost=passes, memory_cost=memory, parallelism=lanes,
                hash_len=self.key_size, type=Type.ID, version=19,
            )  # fmt: skip
        except HashingError as exc:  # bad parameters, or more memory than the worker has
            raise Unsupported(
                f"Argon2id with {memory} KiB, {passes} passes and {lanes} lanes ({exc};"
                " raise memory_mb if it is memory)"
            ) from None

    def decrypt(self, data: bytes, password: str) -> bytes | None:
        """The member's decrypted (still deflated) bytes, or None for a wrong password."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        key = self.key(password)
        if self.cipher == "aes-gcm":
            if len(data) < 16:
                return None
            gcm = Cipher(algorithms.AES(key), modes.GCM(self.iv, data[-16:])).decryptor()
            try:
                return gcm.update(data[:-16]) + gcm.finalize()
            except InvalidTag:
                return None
        if self.cipher == "aes-cbc":
            if len(data) % 16 or len(self.iv) != 16:
                raise ExtractError(
                    Code.CORRUPT,
                    f"{self.path}: damaged encryption ({len(data)} bytes of AES-CBC"
                    f" ciphertext, an initialisation vector of {len(self.iv)} bytes)",
                )
            dec = Cipher(algorithms.AES(key), modes.CBC(self.iv)).decryptor()
        else:
            from cryptography.hazmat.decrepit.ciphers.algorithms import Blowfish

            try:  # cryptography 47 moved CFB among the decrepit modes
                from cryptography.hazmat.decrepit.ciphers.modes import CFB
            except ImportError:  # pragma: no cover - older cryptography
                CFB = modes.CFB  # type: ignore[misc]

            dec = Cipher(Blowfish(key), CFB(self.iv)).decryptor()
        plain = dec.update(data) + dec.finalize()
        unpadded = plain
        if self.cipher == "aes-cbc" and plain and 1 <= plain[-1] <= 16:
            unpadded = plain[: -plain[-1]]
        if not self.checksum_kind:  # no digest to check: deflate's own check decides
            return unpadded
        algo = {"sha256-1k": "sha256", "sha1-1k": "sha1", "sha1/1k": "sha1"}.get(self.checksum_kind)
        if algo is None:
            raise Unsupported(f"checksum {self.checksum_kind}")
        # OpenOffice digests the padded bytes of a short member, LibreOffice the unpadded.
        for candidate in (unpadded, plain):
            if hashlib.new(algo, candidate[:1024]).digest() == self.checksum:
                return unpadded
        return None


class Package:
    """An encrypted ODF package: its manifest and encrypted members."""

    def __init__(self, z: zipfile.ZipFile) -> None:
        self.z = z
        self.manifest = parse_xml(read_member(z, "META-INF/manifest.xml", "ODF"), "manifest")
        self.entries: dict[str, Entry] = {}
        for fe in self.manifest.iter(f"{M}file-entry"):
            data = fe.find(f"{M}encryption-data")
            if data is not None:
                path = fe.get(f"{M}full-path") or ""
                self.entries[path] = Entry.parse(path, fe.get(f"{M}size"), data)
        if not self.entries:
            raise ExtractError(Code.CORRUPT, "ODF manifest names encryption but no member")

    @property
    def wholesome(self) -> bool:
        return WHOLE in self.entries

    def _probe(self) -> Entry:
        """The member a password is tried on: the smallest one (its key is as costly)."""
        present = [e for e in self.entries.values() if e.path in self.z.NameToInfo]
        if not present:
            raise ExtractError(Code.CORRUPT, "the encrypted ODF members are missing")
        return min(present, key=lambda e: self.z.getinfo(e.path).compress_size)

    def opens(self, password: str) -> bool:
        entry = self._probe()
        raw = entry.decrypt(self.z.read(entry.path), password)
        if raw is None:
            return False
        try:
            _inflate(raw, entry, 1 << 16, probe=True)
        except ExtractError:
            return False
        return True

    def plaintext(self, password: str, out: Path, limit: int) -> None:
        """Write the decrypted package to ``out``; ``limit``: the most bytes it may expand to."""
        if self.wholesome:
            out.write_bytes(self._member(self.entries[WHOLE], password, limit))
            return
        for fe in self.manifest.iter(f"{M}file-entry"):
            for data in fe.findall(f"{M}encryption-data"):
                fe.remove(data)
        manifest = etree.tostring(self.manifest, xml_declaration=True, encoding="UTF-8")
        budget = limit
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            infos = self.z.infolist()
            infos.sort(key=lambda i: i.filename != "mimetype")  # mimetype first, stored
            for info in infos:
                name = info.filename
                if info.is_dir():
                    continue
                if name == "mimetype":
                    dst.writestr(info, self.z.read(info), zipfile.ZIP_STORED)
                elif name == "META-INF/manifest.xml":
                    dst.writestr(name, manifest)
                elif name in self.entries:
                    data = self._member(self.entries[name], password, budget)
                    budget -= len(data)
                    dst.writestr(name, data)
                else:
                    with self.z.open(info) as src, dst.open(name, "w") as sink:
                        while chunk := src.read(1 << 20):
                            sink.write(chunk)

    def _member(self, entry: Entry, password: str, limit: int) -> bytes:
        raw = entry.decrypt(self.z.read(entry.path), password)
        if raw is None:
            raise ExtractError(
                Code.CORRUPT, f"{entry.path} does not decrypt with the password of the others"
            )
        return _inflate(raw, entry, limit)


def _inflate(raw: bytes, entry: Entry, limit: int, probe: bool = False) -> bytes:
    """The member's plaintext: raw deflate undone (a member stored uncompressed, as some
    writers leave pictures, is taken as it is when it is not a deflate stream)."""
    d = zlib.decompressobj(-15)
    try:
        data = d.decompress(raw, limit + 1)
    except zlib.error:
        if entry.checksum_kind or entry.cipher == "aes-gcm":  # verified: stored as is
            return raw[:limit]
        raise ExtractError(Code.CORRUPT, f"{entry.path}: not a deflate stream") from None
    if len(data) > limit and not probe:
        raise LimitExceeded(Code.ZIP_BOMB, f"{entry.path} expands past {limit} bytes")
    if not probe and not d.eof:
        raise ExtractError(Code.CORRUPT, f"{entry.path}: its deflate stream is cut short")
    return data
