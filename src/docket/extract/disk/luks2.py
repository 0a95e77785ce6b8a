"""LUKS2 volumes (cryptsetup's default format), read here: libluksde reads only LUKS1.

The binary header (primary, else its secondary copy; the one with a valid checksum and
the highest sequence number) and its JSON metadata; a keyslot opened with a passphrase
(KDF argon2id, argon2i or pbkdf2; the keyslot area decrypted, AF-merged and checked
against the digest) or the volume key itself; then the data segment decrypted sector by
sector as it is read. Ciphers: AES in XTS or CBC mode with plain64, plain or ESSIV
initialisation vectors — what cryptsetup writes unless told otherwise. Anything else
(Serpent, Twofish, authenticated encryption, a reencryption in progress) is
``Unsupported``, naming it. Nothing is written anywhere: the volume key lives only in
the reading process."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any, Protocol

MAGIC = (b"LUKS\xba\xbe", b"SKUL\xba\xbe")  # primary, secondary
# Where a secondary header may start: right after the primary, whose size is 16 KiB to 4 MiB.
_SECONDARY = tuple(0x4000 << i for i in range(9))
_MAX_ARGON_KIB = 4 * 1024 * 1024  # cryptsetup's own ceiling for argon2 memory (4 GiB)
# Bounds a hostile header cannot push past: a KDF that would run for hours, a keyslot
# area of gigabytes. cryptsetup's own choices sit far inside them.
_MAX_ITERATIONS = 100_000_000  # pbkdf2 (cryptsetup calibrates to ~2 s: a few million)
_MAX_PASSES = 1000  # argon2 time cost
_MAX_AREA = 128 * 1024 * 1024  # LUKS2's largest keyslots area


class Luks2Error(ValueError):
    """The header cannot be read: no key would help."""


class Unsupported(ValueError):
    """A cipher, KDF or state of the volume this reader does not handle."""


class File(Protocol):
    def seek(self, offset: int, whence: int = ..., /) -> int: ...
    def read(self, size: int = ..., /) -> bytes: ...


def _int(value: Any) -> int:
    """A LUKS2 number (64-bit ones are JSON strings), never negative or past 2**63."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise Luks2Error(f"not a number: {value!r}"[:80])
    number = int(value)
    if not 0 <= number < 2**63:
        raise Luks2Error(f"number out of range: {number}"[:80])
    return number


def _b64(value: Any) -> bytes:
    return base64.b64decode(str(value))


class SectorCipher:
    """One cipher spec (``aes-xts-plain64``) with its key, decrypting whole sectors."""

    def __init__(self, spec: str, key: bytes, sector_size: int = 512, iv_tweak: int = 0) -> None:
        from cryptography.hazmat.primitives.ciphers import algorithms

        parts = spec.lower().split("-", 2)
        cipher, mode, iv = [*parts, "", ""][:3]
        if cipher != "aes" or mode not in ("xts", "cbc"):
            raise Unsupported(f"cipher {spec}")
        if iv not in ("plain64", "plain") and not (mode == "cbc" and iv.startswith("essiv:")):
            raise Unsupported(f"cipher {spec} (IV mode {iv or 'none'})")
        sizes = (32, 64) if mode == "xts" else (16, 24, 32)
        if len(key) not in sizes:
            raise Unsupported(f"cipher {spec} with a {len(key) * 8}-bit key")
        self.mode, self.iv, self.sector = mode, iv, sector_size
        # LUKS2 counts IVs in 512-byte units whatever the sector size (dm-crypt without
        # iv_large_sectors), from the segment's iv_tweak.
        self.shift = sector_size // 512
        self.tweak = iv_tweak
        self._aes = algorithms.AES(key)
        self._essiv = None
        if iv.startswith("essiv:"):
            name = iv.split(":", 1)[1]
            try:
                salt = hashlib.new(name, key).digest()
            except ValueError as exc:
                raise Unsupported(f"cipher {spec}: unknown ESSIV hash {name}") from exc
            self._essiv = algorithms.AES(salt)

    def _iv(self, n: int) -> bytes:
        if self.iv == "plain":
            return (n & 0xFFFFFFFF).to_bytes(16, "little")
        raw = (n & (2**64 - 1)).to_bytes(16, "little")
        if self._essiv is None:
            return raw
        from cryptography.hazmat.primitives.ciphers import Cipher, modes

        enc = Cipher(self._essiv, modes.ECB()).encryptor()
        return enc.update(raw) + enc.finalize()

    def decrypt(self, first: int, data: bytes) -> bytes:
        """``data`` (whole sectors) decrypted, its first sector being number ``first``."""
        from cryptography.hazmat.primitives.ciphers import Cipher, modes

        size, out = self.sector, bytearray()
        for i in range(len(data) // size):
            iv = self._iv((first + i) * self.shift + self.tweak)
            mode = modes.XTS(iv) if self.mode == "xts" else modes.CBC(iv)
            dec = Cipher(self._aes, mode).decryptor()
            out += dec.update(data[i * size : (i + 1) * size]) + dec.finalize()
        return bytes(out)


def _diffuse(data: bytes, name: str) -> bytes:
    size = hashlib.new(name).digest_size
    out = bytearray()
    for i in range(-(-len(data) // size)):
        block = data[i * size : (i + 1) * size]
        out += hashlib.new(name, i.to_bytes(4, "big") + block).digest()[: len(block)]
    return bytes(out)


def af_merge(material: bytes, key_size: int, stripes: int, name: str) -> bytes:
    """The key that the anti-forensic splitter spread over ``stripes`` stripes."""
    d = bytes(key_size)
    for i in range(stripes - 1):
        block = int.from_bytes(material[i * key_size : (i + 1) * key_size], "big")
        d = _diffuse((int.from_bytes(d, "big") ^ block).to_bytes(key_size, "big"), name)
    last = int.from_bytes(material[(stripes - 1) * key_size : stripes * key_size], "big")
    return (int.from_bytes(d, "big") ^ last).to_bytes(key_size, "big")


class Header:
    """A LUKS2 header's JSON metadata and what it says about the data segment."""

    def __init__(self, meta: dict[str, Any], size: int) -> None:
        self.meta, self.size = meta, size
        segments = meta.get("segments") or {}
        if len(segments) != 1 or meta.get("config", {}).get("requirements"):
            raise Unsupported("a reencryption is in progress (several data segments)")
        seg = next(iter(segments.values()))
        if seg.get("type") != "crypt" or seg.get("integrity"):
            raise Unsupported(
                f"data segment of type {seg.get('type')}"
                + (" with authenticated encryption (dm-integrity)" if seg.get("integrity") else "")
            )
        self.segment = seg
        self.cipher = str(seg.get("encryption", ""))
        self.sector_size = _int(seg.get("sector_size", 512))
        self.offset = _int(seg["offset"])
        self.length = None if seg.get("size") == "dynamic" else _int(seg["size"])
        self.iv_tweak = _int(seg.get("iv_tweak", 0))
        if self.sector_size not in (512, 1024, 2048, 4096):
            raise Luks2Error(f"sector size {self.sector_size}")
        SectorCipher(self.cipher, bytes(64 if "xts" in self.cipher else 32), self.sector_size)

    @classmethod
    def read(cls, f: File) -> Header:
        best: tuple[int, dict[str, Any], int] | None = None
        problems = []
        for at in (0, *_SECONDARY):
            f.seek(at)
            head = f.read(4096)
            if len(head) < 4096 or head[:6] != MAGIC[at != 0]:
                continue
            size, seq = int.from_bytes(head[8:16], "big"), int.from_bytes(head[16:24], "big")
            if (
                int.from_bytes(head[6:8], "big") != 2
                or size not in _SECONDARY
                or (at and at != size)
            ):
                problems.append(f"header at byte {at}: bad version or size")
                continue
            f.seek(at)
            whole = f.read(size)
            alg = head[72:104].split(b"\0", 1)[0].decode("ascii", "replace")
            try:
                check = hashlib.new(alg, whole[:448] + bytes(64) + whole[512:]).digest()
            except ValueError:
                problems.append(f"header at byte {at}: unknown checksum {alg}")
                continue
            if len(whole) < size or check != head[448 : 448 + len(check)]:
                problems.append(f"header at byte {at}: checksum mismatch")
                continue
            try:
                meta = json.loads(whole[4096:].split(b"\0", 1)[0])
            except (ValueError, UnicodeDecodeError):
                problems.append(f"header at byte {at}: unreadable JSON")
                continue
            if best is None or seq > best[0]:
                best = (seq, meta, size)
        if best is None:
            raise Luks2Error("; ".join(problems) or "no LUKS2 header with a valid checksum")
        try:
            return cls(best[1], best[2])
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, Unsupported):
                raise
            raise Luks2Error(f"unreadable metadata: {exc!r}") from exc

    def describe(self) -> dict[str, Any]:
        slots = self.meta.get("keyslots") or {}
        kdfs = sorted({str(s.get("kdf", {}).get("type")) for s in slots.values()})
        return {
            "encryption": "LUKS2",
            "cipher": self.cipher,
            "sector_size": self.sector_size,
            "keyslots": len(slots),
            "kdf": kdfs,
        }

    def volume_key(self, password: bytes) -> bytes | None:
        """The volume key from the first keyslot ``password`` opens, or None. Raises
        ``Unsupported`` when no keyslot could be tried at all."""
        slots = [
            (name, s)
            for name, s in (self.meta.get("keyslots") or {}).items()
            if s.get("type") == "luks2" and str(s.get("priority", "1")) != "0"
        ]
        slots.sort(key=lambda x: -int(str(x[1].get("priority", "1"))))
        skipped, damaged = [], []
        for name, slot in slots:
            try:
                key = self._slot(slot, password)
                if key is not None and self.check(key, name):
                    return key
            except Unsupported as exc:
                skipped.append(f"keyslot {name}: {exc}")
            except (Luks2Error, AttributeError, KeyError, TypeError, ValueError) as exc:
                damaged.append(f"keyslot {name}: {exc!s}")
        if damaged and len(damaged) == len(slots):
            raise Luks2Error("; ".join(damaged))
        if skipped and len(skipped) + len(damaged) == len(slots):
            raise Unsupported("; ".join(skipped))
        return None

    def _slot(self, slot: dict[str, Any], password: bytes) -> bytes | None:
        kdf, area, af = slot["kdf"], slot["area"], slot["af"]
        kind = kdf.get("type")
        area_key_size = _int(area.get("key_size", slot["key_size"]))
        salt = _b64(kdf["salt"])
        if not 0 < area_key_size <= 512:
            raise Luks2Error(f"keyslot key size {area_key_size}")
        if kind == "pbkdf2":
            rounds = _int(kdf["iterations"])
            if rounds > _MAX_ITERATIONS:
                raise Unsupported(f"pbkdf2 with {rounds} iterations (over {_MAX_ITERATIONS})")
            try:
                derived = hashlib.pbkdf2_hmac(kdf["hash"], password, salt, rounds, area_key_size)
            except ValueError as exc:
                raise Unsupported(f"pbkdf2 with hash {kdf['hash']}") from exc
        elif kind in ("argon2id", "argon2i"):
            from argon2.exceptions import HashingError
            from argon2.low_level import Type, hash_secret_raw

            memory, passes = _int(kdf["memory"]), _int(kdf["time"])
            if memory > _MAX_ARGON_KIB or passes > _MAX_PASSES:
                raise Unsupported(f"{kind} with {memory} KiB and {passes} passes (too costly)")
            try:
                derived = hash_secret_raw(
                    password, salt, time_cost=passes, memory_cost=memory,
                    parallelism=_int(kdf["cpus"]), hash_len=area_key_size,
                    type=Type.ID if kind == "argon2id" else Type.I, version=19,
                )  # fmt: skip
            except HashingError as exc:
                raise Unsupported(
                    f"{kind} needing {memory} KiB, which the worker could not have ({exc};"
                    " raise memory_mb)"
                ) from exc
        else:
            raise Unsupported(f"KDF {kind}")
        if af.get("type") != "luks1" or area.get("type") != "raw":
            raise Unsupported(f"keyslot area {area.get('type')} / AF {af.get('type')}")
        key_size, stripes = _int(slot["key_size"]), _int(af["stripes"])
        length = -(-key_size * stripes // 512) * 512
        if not 0 < key_size <= 512 or not 0 < length <= min(_int(area["size"]), _MAX_AREA):
            raise Luks2Error(f"keyslot of {key_size} bytes in {stripes} stripes")
        self._f.seek(_int(area["offset"]))
        raw = self._f.read(length)
        if len(raw) < length:
            raise Luks2Error("keyslot area cut short")
        material = SectorCipher(str(area["encryption"]), derived).decrypt(0, raw)
        try:
            return af_merge(material, key_size, stripes, str(af["hash"]))
        except ValueError as exc:
            raise Unsupported(f"AF hash {af['hash']}") from exc

    def check(self, key: bytes, slot: str | None = None) -> bool:
        """Whether ``key`` is the volume key (its pbkdf2 digest matches)."""
        for digest in (self.meta.get("digests") or {}).values():
            if slot is not None and slot not in digest.get("keyslots", []):
                continue
            if digest.get("type") != "pbkdf2":
                continue
            want, rounds = _b64(digest["digest"]), _int(digest["iterations"])
            if rounds > _MAX_ITERATIONS:
                raise Unsupported(f"a digest of {rounds} pbkdf2 iterations")
            got = hashlib.pbkdf2_hmac(digest["hash"], key, _b64(digest["salt"]), rounds, len(want))
            if got == want:
                return True
        return False

    _f: File

    def open(self, f: File, kind: str, value: str) -> Volume | None:
        """The decrypted volume, opened with a passphrase (``password``) or the volume key
        in hex (``key``); None when it does not fit."""
        self._f = f
        if kind == "key":
            try:
                key: bytes | None = bytes.fromhex(value.replace(":", "").replace(" ", ""))
            except ValueError:
                return None
            if not key or not self.check(key):
                return None
        else:
            key = self.volume_key(value.encode("utf-8"))
        if key is None:
            return None
        return Volume(f, self, SectorCipher(self.cipher, key, self.sector_size, self.iv_tweak))


class Volume:
    """The data segment, decrypted on read (``read_buffer_at_offset`` as a libyal handle
    has it, for ``layers.HandleImage``)."""

    def __init__(self, f: File, header: Header, cipher: SectorCipher) -> None:
        self._f, self._cipher, self._start = f, cipher, header.offset
        end = f.seek(0, 2) if header.length is None else header.offset + header.length
        ss = header.sector_size
        self.size = max(0, (end - header.offset) // ss * ss)

    def read_buffer_at_offset(self, size: int, offset: int) -> bytes:
        ss = self._cipher.sector
        size = min(size, self.size - offset)
        if size <= 0:
            return b""
        first = offset // ss
        end = -(-(offset + size) // ss) * ss
        self._f.seek(self._start + first * ss)
        raw = self._f.read(end - first * ss)
        raw = raw[: len(raw) // ss * ss]
        plain = self._cipher.decrypt(first, raw)
        return plain[offset - first * ss : offset - first * ss + size]

    def get_size(self) -> int:
        return self.size

    def close(self) -> None:
        pass
