"""The files of an APFS snapshot, read from the on-disk structures (Apple's "Apple File
System Reference"): pyfsapfs cannot open a snapshot and dissect.apfs is AGPL.

A snapshot is a copy of its volume's superblock taken at a transaction (``xid``). Its
file-system tree is a virtual B-tree: each node id is looked up in the volume's object
map, keeping the newest version at or before the snapshot's ``xid`` (the map keeps the
versions a snapshot still needs). The tree's leaves hold the records read here: inodes
(type 3: times, owner, mode, the data stream's size), directory entries (type 9, hashed
names or not) and file extents (type 8). A file's bytes are its extents, in blocks of
the container. Not read: extended attributes, so neither compressed files (decmpfs,
listed with a reason) nor resource forks; encrypted volumes (refused before this).

Bounded against hostile images: at most ``MAX_NODES`` tree nodes and ``MAX_RECORDS``
records, no node twice, checksums checked, folders at most ``MAX_DEPTH`` deep and never
entered twice, extents inside the container; what fails raises ``SnapshotError``."""

from __future__ import annotations

import stat
import struct
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from docket.extract.disk.apfs_snapshots import Container, Snapshot, SnapshotError
from docket.extract.disk.layers import Slice

MAX_NODES = 1 << 20  # 4 GiB of tree at 4 KiB blocks
MAX_RECORDS = 10_000_000
MAX_DEPTH = 256
_OMAP_NODES = 1 << 20
_ROOT_DIR = 2  # ROOT_DIR_INO_NUM
_INODE, _EXTENT, _DREC = 3, 8, 9
_DSTREAM = 8  # INO_EXT_TYPE_DSTREAM
_UF_COMPRESSED = 0x20
_PHYSICAL = 0x40000000
_DELETED, _ENCRYPTED = 0x1, 0x4  # omap_val_t flags
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX = 2**64


@dataclass(slots=True)
class Inode:
    mode: int
    uid: int
    gid: int
    flags: int  # BSD flags
    stream: int  # private_id: the id its extents are keyed by
    size: int
    times: dict[str, int]


@dataclass(slots=True)
class SnapFile:
    """A regular file of the snapshot: where it is, what the inode says, its extents."""

    path: str
    inode: int
    mode: int
    uid: int
    gid: int
    size: int
    compressed: bool
    times: dict[str, str]
    extents: list[tuple[int, int, int]] = field(default_factory=list)  # logical, length, block


def when(ns: int) -> str | None:
    """An APFS time (nanoseconds since 1970, UTC) as ISO 8601, to the microsecond; None
    when no date can hold it."""
    try:
        stamp = _EPOCH + timedelta(microseconds=ns // 1000)
    except OverflowError:
        return None
    return stamp.isoformat().replace("+00:00", "Z")


class SnapshotTree:
    """The files of one snapshot, read by ``files()``; their bytes by ``read()``."""

    def __init__(self, part: Slice, snap: Snapshot) -> None:
        if snap.encrypted:
            raise SnapshotError("the volume is encrypted")
        self.part = part
        self.c = Container(part)
        self.bs = self.c.bs
        self.blocks = struct.unpack_from("<Q", self.c.sb, 40)[0]
        sb = self.c.block(snap.sblock)
        if sb[32:36] != b"APSB":
            raise SnapshotError(f"no volume superblock at block {snap.sblock}")
        self.omap = self._omap(snap.omap, snap.xid)
        self.root = struct.unpack_from("<Q", sb, 136)[0]
        self.physical = bool(struct.unpack_from("<I", sb, 116)[0] & _PHYSICAL)

    def _omap(self, block: int, xid: int) -> dict[int, tuple[int, int, int]]:
        """Each object id's newest (xid, flags, block) at or before ``xid``."""
        omap = self.c.block(block)
        found: dict[int, tuple[int, int, int]] = {}
        tree = struct.unpack_from("<Q", omap, 48)[0]
        for key, val in self.c._records(tree, max_nodes=_OMAP_NODES):
            oid, k_xid = struct.unpack_from("<QQ", key)
            if k_xid <= xid and (oid not in found or k_xid > found[oid][0]):
                flags, _size, paddr = struct.unpack_from("<IIQ", val)
                found[oid] = (k_xid, flags, paddr)
        return found

    def _resolve(self, oid: int) -> int:
        if self.physical:
            return oid
        got = self.omap.get(oid)
        if got is None or got[1] & _DELETED:
            raise SnapshotError(f"object {oid} is not in the volume's object map")
        if got[1] & _ENCRYPTED:
            raise SnapshotError(f"object {oid} is encrypted")
        return got[2]

    def files(self) -> list[SnapFile]:
        """Every regular file, by path, folders walked from the root."""
        inodes: dict[int, Inode] = {}
        entries: dict[int, list[tuple[str, int, int]]] = {}  # folder: (name, id, added)
        extents: dict[int, list[tuple[int, int, int]]] = {}
        resolve: Callable[[int], int] = self._resolve
        for count, (key, val) in enumerate(self.c._records(self.root, resolve, MAX_NODES), 1):
            if count > MAX_RECORDS:
                raise SnapshotError(f"more than {MAX_RECORDS:,} records in the tree")
            head = struct.unpack_from("<Q", key)[0]
            oid, kind = head & 0x0FFFFFFFFFFFFFFF, head >> 60
            if kind == _INODE:
                inodes[oid] = _inode(val)
            elif kind == _DREC:
                name = _drec_name(key)
                file_id, added = struct.unpack_from("<QQ", val)
                entries.setdefault(oid, []).append((name, file_id, added))
            elif kind == _EXTENT:
                logical = struct.unpack_from("<Q", key, 8)[0]
                length, block = struct.unpack_from("<QQ", val)
                extents.setdefault(oid, []).append((logical, length & 0x00FFFFFFFFFFFFFF, block))
        if _ROOT_DIR not in inodes:
            raise SnapshotError("the snapshot's tree has no root folder")
        out: list[SnapFile] = []
        stack: list[tuple[int, str, int]] = [(_ROOT_DIR, "", 0)]
        seen = {_ROOT_DIR}
        while stack:
            folder, prefix, depth = stack.pop()
            subdirs = []
            for name, file_id, added in sorted(entries.get(folder, [])):
                inode = inodes.get(file_id)
                if inode is None:
                    continue
                path = prefix + name
                if stat.S_ISDIR(inode.mode):
                    if file_id in seen or depth >= MAX_DEPTH:
                        raise SnapshotError(f"folder loop or {MAX_DEPTH} levels at /{path}")
                    seen.add(file_id)
                    subdirs.append((file_id, path + "/", depth + 1))
                elif stat.S_ISREG(inode.mode):
                    out.append(_file(path, file_id, inode, added, extents))
            stack.extend(reversed(subdirs))
        return out

    def read(self, f: SnapFile, at: int, n: int) -> bytes:
        """``n`` bytes of ``f`` from byte ``at`` (fewer at its end); OSError where its
        extents do not cover them or point outside the container."""
        out = bytearray()
        n = min(n, f.size - at)
        while len(out) < n:
            pos = at + len(out)
            i = bisect_right(f.extents, (pos, _MAX, _MAX)) - 1  # the last starting at or before
            if i < 0 or not f.extents[i][0] <= pos < f.extents[i][0] + f.extents[i][1]:
                raise OSError(f"no extent holds byte {pos}")
            logical, length, block = f.extents[i]
            take = min(n - len(out), logical + length - pos)
            if block == 0:  # a hole of a sparse file
                out += bytes(take)
                continue
            if block + (length + self.bs - 1) // self.bs > self.blocks:
                raise OSError(f"extent at block {block} is past the end of the container")
            self.part.seek(block * self.bs + pos - logical)
            data = self.part.read(take)
            if not data:
                raise OSError(f"nothing read at block {block}")
            out += data
        return bytes(out)


def _inode(val: bytes) -> Inode:
    (_parent, stream, created, modified, changed, accessed, _internal, _links, _cls,
     _gen, flags, uid, gid, mode) = struct.unpack_from("<QQQQQQQiIIIIIH", val)  # fmt: skip
    size = 0
    if len(val) >= 96:
        nexts = struct.unpack_from("<H", val, 92)[0]
        data = 96 + 4 * nexts
        for i in range(min(nexts, 64)):
            x_type, _x_flags, x_size = struct.unpack_from("<BBH", val, 96 + 4 * i)
            if x_type == _DSTREAM:
                size = struct.unpack_from("<Q", val, data)[0]
            data += (x_size + 7) & ~7
    times = {"created": created, "modified": modified, "changed": changed, "accessed": accessed}
    return Inode(mode, uid, gid, flags, stream, size, times)


def _drec_name(key: bytes) -> str:
    """The name of a directory entry, its key hashed (case- or normalisation-insensitive
    volumes) or not: the key's length tells which."""
    hashed = struct.unpack_from("<I", key, 8)[0] & 0x3FF
    if len(key) == 12 + hashed:
        raw = key[12:]
    else:
        plain = struct.unpack_from("<H", key, 8)[0]
        if len(key) != 10 + plain:
            raise SnapshotError("a directory entry's key has a wrong length")
        raw = key[10:]
    name = raw.split(b"\0", 1)[0].decode("utf-8", "replace")
    if not name or "/" in name or name in (".", ".."):
        raise SnapshotError(f"a directory entry has the name {name!r}")
    return name


def _file(path: str, file_id: int, inode: Inode, added: int, extents: dict[int, Any]) -> SnapFile:
    raw = dict(inode.times, added=added)
    times = {k: iso for k, v in raw.items() if (iso := when(v)) is not None}
    return SnapFile(
        path, file_id, inode.mode, inode.uid, inode.gid, inode.size,
        bool(inode.flags & _UF_COMPRESSED), times,
        sorted(extents.get(inode.stream, [])),
    )  # fmt: skip
