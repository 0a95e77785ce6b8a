"""What may sit between a partition and its file system, read through the libyal
libraries: LVM physical volumes (each logical volume is a volume of its own), encrypted
volumes (LUKS, BitLocker, FileVault 2 on CoreStorage) opened with the user's key file,
and the APFS container (walked by ``apfs.py``). Also the Volume Shadow Copies inside an
NTFS volume, each a dated version of it.

Each layer turns a stretch of the image into a new byte stream, wrapped as a
``pytsk3.Img_Info`` (``HandleImage``) so the same walk reads it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytsk3

from docket.extract.disk.keys import Key
from docket.extract.disk.virtual import short
from docket.extract.passwords import DECRYPTED
from docket.extract.sink import Sink
from docket.model.results import Child

# (offset, signature) of each layer, from the start of the volume.
_SIGNATURES = (
    ("lvm", 512 + 0, b"LABELONE"),
    ("lvm", 0, b"LABELONE"),
    ("luks", 0, b"LUKS\xba\xbe"),
    ("bitlocker", 3, b"-FVE-FS-"),
    ("apfs", 32, b"NXSB"),
    ("corestorage", 88, b"CS"),
)
NAMES = {
    "lvm": "LVM2",
    "luks": "LUKS",
    "bitlocker": "BitLocker",
    "apfs": "APFS",
    "corestorage": "FileVault 2",
}
ENCRYPTED = ("luks", "bitlocker", "corestorage")


def holder(sink: Sink, name: str, meta: dict[str, Any], parent: Child | None) -> Child:
    """An item with no bytes of its own that holds others: a partition, a volume group,
    an opened encrypted volume, a snapshot."""
    return sink.child_error(name, None, None, status="ok", meta=meta, parent=parent)  # type: ignore[arg-type]


class HandleImage(pytsk3.Img_Info):  # type: ignore[misc]
    """pytsk3 reads through a libyal handle (``read``, ``seek``, and a size)."""

    def __init__(self, handle: Any, size: int | None = None) -> None:
        self._handle = handle
        self._size = int(size if size is not None else handle.get_media_size())
        self.bad: list[tuple[int, str]] = []  # (offset, reason) of reads that failed
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        close = getattr(self._handle, "close", None)  # a logical volume has none
        if close is not None:
            close()

    def read(self, offset: int, size: int) -> bytes:
        # A missing or truncated segment: a short read makes TSK fail only the file or
        # structure that needed these bytes; never invent zeros for them.
        try:
            return bytes(self._handle.read_buffer_at_offset(size, offset))
        except (OSError, RuntimeError, ValueError) as exc:
            self.bad.append((offset, short(exc)))
            return b""

    def get_size(self) -> int:
        return self._size


class Slice:
    """A stretch of an image as a file object, for the libyal libraries to open."""

    def __init__(self, img: pytsk3.Img_Info, offset: int, length: int) -> None:
        self._img, self._start, self._length, self._pos = img, offset, length, 0

    def read(self, size: int = -1) -> bytes:
        left = self._length - self._pos
        size = left if size is None or size < 0 else min(size, left)
        if size <= 0:
            return b""
        data = bytes(self._img.read(self._start + self._pos, size))
        self._pos += len(data)
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._length}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def get_offset(self) -> int:
        return self._pos

    def get_size(self) -> int:
        return self._length

    def close(self) -> None:
        pass


def layer_at(img: pytsk3.Img_Info, offset: int) -> str | None:
    """The layer that starts at ``offset``, if any (else a file system, or nothing)."""
    try:
        head = bytes(img.read(offset, 1024))
    except OSError:
        return None
    for kind, at, magic in _SIGNATURES:
        if head[at : at + len(magic)] == magic:
            if kind == "corestorage" and head[0x48:0x4A] != b"\x01\x00":
                continue  # "CS" alone is too short a signature: CoreStorage version 1 too
            return kind
    return None


@dataclass(slots=True)
class Opened:
    """An encrypted volume and how it went: ``image`` is None when no key opened it."""

    image: HandleImage | None
    message: str
    meta: dict[str, Any]
    damaged: bool = False  # the volume's own metadata is unreadable: no key would help
    unsupported: bool = False  # a cipher or KDF Docket does not read: no key would help


def unlock(
    kind: str, part: Slice, keys: list[Key], keepalive: Callable[[float], None] | None = None
) -> Opened:
    """Open an encrypted volume with the first key that fits (the key file's lines, then
    the password list's); ``keepalive`` is called before each try (a LUKS2 or BitLocker
    key derivation may take seconds)."""
    if kind == "luks":
        part.seek(6)
        version = int.from_bytes(part.read(2), "big")
        if version == 2:
            return _luks2(part, keys, keepalive)
        if version != 1:
            return Opened(
                None,
                f"LUKS{version} volume: only LUKS1 and LUKS2 are read; decrypt it"
                " with cryptsetup and ingest the opened volume",
                {"encryption": f"LUKS{version}"},
                unsupported=True,
            )
    tried = [k for k in keys if k.kind in _FITS[kind]]
    meta: dict[str, Any] = {"encryption": NAMES[kind]}
    try:  # its metadata, before any key: a damaged header is not a missing key
        _open(kind, part, None)
    except (OSError, ValueError, TypeError) as exc:
        why = f"cannot read the {NAMES[kind]} metadata: {short(exc)}"
        return Opened(None, why, meta, damaged=True)
    for key in tried:
        if keepalive is not None:
            keepalive(60.0)
        try:
            handle = _open(kind, part, key)
        except (OSError, ValueError, TypeError):
            continue
        if handle is not None:
            opened_with(meta, key)
            return Opened(HandleImage(handle, int(handle.get_size())), "", meta)
    need = _NEEDS[kind]
    if tried:
        why = f"{NAMES[kind]} volume: none of the {len(tried)} keys opened it; needs {need}"
        if kind == "luks" and any(not k.value.isascii() for k in tried):
            why += " (libluksde opens only ASCII passphrases)"
        return Opened(None, why, meta)
    return Opened(None, f"{NAMES[kind]} volume is encrypted: needs {need} {HOW}", meta)


HOW = "(docket ingest --key-file, or --passwords for a passphrase)"


def opened_with(meta: dict[str, Any], key: Key) -> None:
    """What a volume records about the key that opened it: ``unlocked_with`` (kind,
    file and line) and ``decrypted`` (the custody record, as for documents)."""
    meta["unlocked_with"] = key.label
    meta[DECRYPTED] = key.record()


def _luks2(part: Slice, keys: list[Key], keepalive: Callable[[float], None] | None) -> Opened:
    """A LUKS2 volume, read by ``luks2.py`` (libluksde reads only LUKS1)."""
    from docket.extract.disk import luks2

    meta: dict[str, Any] = {"encryption": "LUKS2"}
    later = (
        ", which Docket does not read (it reads AES in XTS or CBC mode, keyslots with"
        " argon2id, argon2i or pbkdf2); open it with cryptsetup and image the opened volume"
    )
    unsupported: luks2.Unsupported | None = None
    try:
        header = luks2.Header.read(part)
        meta.update(header.describe())
        tried = [k for k in keys if k.kind in ("password", "key")]
        for key in tried:
            if keepalive is not None:
                keepalive(60.0)
            try:
                volume = header.open(part, key.kind, key.value)
            except luks2.Unsupported as exc:  # this key's keyslots; a volume key may do
                unsupported = exc
                continue
            if volume is not None:
                opened_with(meta, key)
                return Opened(HandleImage(volume, volume.size), "", meta)
    except luks2.Unsupported as exc:
        unsupported = exc
    except (luks2.Luks2Error, OSError, AttributeError, KeyError, TypeError, ValueError) as exc:
        why = f"cannot read the LUKS2 metadata: {short(exc)}"
        return Opened(None, why, meta, damaged=True)
    if unsupported is not None:
        return Opened(None, f"LUKS2 volume: {unsupported}{later}", meta, unsupported=True)
    need = "its passphrase ('password: ...') or volume key in hex ('key: ...')"
    if tried:
        why = f"LUKS2 volume: none of the {len(tried)} keys opened it; needs {need}"
    else:
        why = f"LUKS2 volume is encrypted: needs {need} {HOW}"
    return Opened(None, why, meta)


_FITS = {
    "luks": ("password",),
    "bitlocker": ("password", "recovery", "key", "bek"),
    "corestorage": ("password", "recovery"),
}
_NEEDS = {
    "luks": "its passphrase ('password: ...')",
    "bitlocker": "its password, 48-digit recovery password ('recovery: ...'), FVEK"
    " ('key: ...') or startup key file ('bek: PATH')",
    "corestorage": "the user's password or the recovery key ('recovery: ...')",
}


def _open(kind: str, part: Slice, key: Key | None) -> Any:
    """A handle opened with ``key``, or None when the key does not fit (always None
    without a key: then only the metadata is read)."""
    if kind == "luks":
        import pyluksde

        handle = pyluksde.volume()
        if key is not None:
            handle.set_password(key.value)
    elif kind == "bitlocker":
        import pybde

        handle = pybde.volume()
        if key is None:
            pass
        elif key.kind == "password":
            handle.set_password(key.value)
        elif key.kind == "recovery":
            handle.set_recovery_password(key.value)
        elif key.kind == "bek":
            handle.read_startup_key(key.value)
        else:
            raw = key.hex_bytes() or b""
            fvek, tweak = (raw, b"") if ":" not in key.value else _pair(key.value)
            handle.set_keys(fvek, tweak)
    else:
        import pyfvde

        handle = pyfvde.volume()
        if key is None:
            pass
        elif key.kind == "password":
            handle.set_password(key.value)
        else:
            handle.set_recovery_password(key.value)
    part.seek(0)
    handle.open_file_object(part)
    if key is None or handle.is_locked():
        handle.close()
        return None
    return handle


def _pair(value: str) -> tuple[bytes, bytes]:
    a, _, b = value.partition(":")
    return bytes.fromhex(a.strip()), bytes.fromhex(b.strip())


def logical_volumes(part: Slice) -> tuple[str, Iterator[tuple[str, HandleImage]]]:
    """The volume group's name and its logical volumes as images. Raises OSError when
    the group cannot be read (one of its physical volumes is elsewhere)."""
    import pyvslvm

    handle = pyvslvm.handle()
    handle.open_file_object(part)
    handle.open_physical_volume_files_as_file_objects([part])
    group = handle.get_volume_group()

    def each() -> Iterator[tuple[str, HandleImage]]:
        for lv in group.logical_volumes:
            yield str(lv.name), HandleImage(lv, int(lv.size))

    return str(group.name), each()


def shadow_copies(part: Slice) -> list[tuple[str, HandleImage]]:
    """The Volume Shadow Copies of an NTFS volume, oldest first: (creation time, image)."""
    import pyvshadow

    if not pyvshadow.check_volume_signature_file_object(part):
        return []
    volume = pyvshadow.volume()
    volume.open_file_object(part)
    found = []
    for store in volume.stores:
        when = store.creation_time
        stamp = when.isoformat(timespec="seconds") + "Z" if when is not None else "undated"
        found.append((stamp, HandleImage(store, int(store.volume_size))))
    return found
