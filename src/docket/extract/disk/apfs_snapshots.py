"""The snapshots of each APFS volume, listed from the on-disk structures (Apple's "APFS
Reference"): pyfsapfs, which reads the volumes, lists none, and libfsapfs cannot open
one; the only library that does (dissect.apfs) is AGPL, which Docket cannot take.

From the newest valid container superblock (block 0 or the checkpoint area), the
container's object map gives each volume's superblock; the volume's snapshot metadata
B-tree (a physical tree) holds one ``j_snap_metadata`` record per snapshot: its
transaction id, creation and change times, name and the copy of the volume superblock
it was taken from. The snapshot's files are read from there (``apfs_files.py``)."""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from docket.extract.disk.layers import Slice

NXSB, APSB = b"NXSB", b"APSB"
_ROOT, _LEAF, _FIXED = 1, 2, 4
_SNAP_METADATA = 1
_MAX_NODES = 4096  # a hostile tree cannot make the listing walk forever
_MAX_DEPTH = 16


class SnapshotError(ValueError):
    """The structures that list snapshots cannot be read."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    name: str
    xid: int
    created: str  # ISO 8601, UTC
    changed: str
    sblock: int = 0  # block of the volume superblock copied when it was taken
    omap: int = 0  # block of the (live) volume's object map, which keeps its versions
    encrypted: bool = False  # the volume is encrypted: its files are not read here


def fletcher64(block: bytes) -> int:
    """APFS's object checksum, over the block after its first 8 bytes."""
    words = struct.unpack_from(f"<{(len(block) - 8) // 4}I", block, 8)
    mod = 0xFFFFFFFF
    s1 = s2 = 0
    for w in words:
        s1 = (s1 + w) % mod
        s2 = (s2 + s1) % mod
    c1 = mod - ((s1 + s2) % mod)
    c2 = mod - ((s1 + c1) % mod)
    return (c2 << 32) | c1


def _valid(block: bytes) -> bool:
    return len(block) >= 64 and struct.unpack_from("<Q", block)[0] == fletcher64(block)


def _when(ns: int) -> str:
    stamp = datetime.fromtimestamp(ns / 1e9, UTC).replace(microsecond=0)
    return stamp.isoformat().replace("+00:00", "Z")


class Container:
    def __init__(self, part: Slice) -> None:
        self._f = part
        head = self._read_at(0, 4096)
        if head[32:36] != NXSB:
            raise SnapshotError("no APFS container superblock")
        self.bs = struct.unpack_from("<I", head, 36)[0]
        if self.bs not in (4096, 8192, 16384, 32768, 65536):
            raise SnapshotError(f"block size {self.bs}")
        self.sb = self._newest(self.block(0))

    def _read_at(self, offset: int, size: int) -> bytes:
        self._f.seek(offset)
        return self._f.read(size)

    def block(self, n: int) -> bytes:
        data = self._read_at(n * self.bs, self.bs)
        if len(data) < self.bs:
            raise SnapshotError(f"block {n} is past the end of the container")
        return data

    def _newest(self, first: bytes) -> bytes:
        """The valid container superblock with the highest transaction id."""
        best = first if _valid(first) else None
        base, blocks = (
            struct.unpack_from("<QI", first, 112)[0],
            struct.unpack_from("<I", first, 104)[0],
        )
        if not blocks & 0x80000000:  # a contiguous checkpoint descriptor area
            for i in range(min(blocks, 1024)):
                try:
                    b = self.block(base + i)
                except SnapshotError:
                    break
                if b[32:36] == NXSB and _valid(b) and (best is None or _xid(b) > _xid(best)):
                    best = b
        if best is None:
            raise SnapshotError("no container superblock with a valid checksum")
        return best

    def volume_superblocks(self) -> Iterator[tuple[int, bytes]]:
        """(index, superblock) of each volume, in the order of ``nx_fs_oid``."""
        omap = self.block(struct.unpack_from("<Q", self.sb, 160)[0])
        tree = struct.unpack_from("<Q", omap, 48)[0]
        xid = _xid(self.sb)
        count = struct.unpack_from("<I", self.sb, 180)[0]
        oids = struct.unpack_from(f"<{min(count, 100)}Q", self.sb, 184)
        index = 0
        for oid in oids:
            if not oid:
                continue
            paddr = self._omap_lookup(tree, oid, xid)
            if paddr is not None:
                block = self.block(paddr)
                if block[32:36] == APSB:
                    yield index, block
            index += 1

    def _omap_lookup(self, root: int, oid: int, xid: int) -> int | None:
        best: tuple[int, int] | None = None
        for key, val in self._records(root):
            k_oid, k_xid = struct.unpack_from("<QQ", key)
            if k_oid == oid and k_xid <= xid and (best is None or k_xid > best[0]):
                best = (k_xid, struct.unpack_from("<Q", val, 8)[0])
        return None if best is None else best[1]

    def _records(
        self,
        root: int,
        resolve: Callable[[int], int] | None = None,
        max_nodes: int = _MAX_NODES,
    ) -> Iterator[tuple[bytes, bytes]]:
        """Every (key, value) of the leaves of a B-tree, walked whole: a physical one, or a
        virtual one whose node ids ``resolve`` maps to blocks (then each node's checksum
        is checked). At most ``max_nodes`` nodes, ``_MAX_DEPTH`` levels, none twice."""
        stack, seen = [(root, 0)], 0
        visited: set[int] = set()
        key_size = val_size = 0
        while stack:
            addr, depth = stack.pop()
            seen += 1
            if seen > max_nodes or depth > _MAX_DEPTH:
                raise SnapshotError("B-tree too large or too deep")
            if resolve is not None:
                addr = resolve(addr)
                if addr in visited:
                    raise SnapshotError(f"B-tree node {addr} reached twice (a loop)")
                visited.add(addr)
            node = self.block(addr)
            if resolve is not None and not _valid(node):
                raise SnapshotError(f"B-tree node at block {addr}: bad checksum")
            flags, level, nkeys = struct.unpack_from("<HHI", node, 32)
            ts_off, ts_len = struct.unpack_from("<HH", node, 40)
            end = self.bs - (40 if flags & _ROOT else 0)
            if flags & _ROOT:
                key_size, val_size = struct.unpack_from("<II", node, end + 8)
            toc, keys = 56 + ts_off, 56 + ts_off + ts_len
            for i in range(min(nkeys, self.bs // 4)):
                if flags & _FIXED:
                    k_off, v_off = struct.unpack_from("<HH", node, toc + 4 * i)
                    k_len, v_len = key_size, (8 if level else val_size)
                else:
                    k_off, k_len, v_off, v_len = struct.unpack_from("<HHHH", node, toc + 8 * i)
                key = node[keys + k_off : keys + k_off + k_len]
                val = node[end - v_off : end - v_off + v_len]
                if level:
                    stack.append((struct.unpack_from("<Q", val)[0], depth + 1))
                else:
                    yield key, val

    def snapshots(self, volume: bytes) -> list[Snapshot]:
        """A volume's snapshots, oldest first."""
        if not struct.unpack_from("<Q", volume, 216)[0]:  # apfs_num_snapshots
            return []
        found = []
        omap = struct.unpack_from("<Q", volume, 128)[0]
        encrypted = not struct.unpack_from("<Q", volume, 264)[0] & 1  # APFS_FS_UNENCRYPTED
        for key, val in self._records(struct.unpack_from("<Q", volume, 152)[0]):
            head = struct.unpack_from("<Q", key)[0]
            if head >> 60 != _SNAP_METADATA or len(val) < 50:
                continue
            created, changed = struct.unpack_from("<QQ", val, 16)
            name_len = struct.unpack_from("<H", val, 48)[0]
            name = val[50 : 50 + name_len].split(b"\0", 1)[0].decode("utf-8", "replace")
            xid = head & 0x0FFFFFFFFFFFFFFF
            sblock = struct.unpack_from("<Q", val, 8)[0]
            found.append(Snapshot(name or f"xid {xid}", xid, _when(created), _when(changed),
                                  sblock, omap, encrypted))  # fmt: skip
        return sorted(found, key=lambda s: s.xid)


def _xid(block: bytes) -> int:
    return int(struct.unpack_from("<Q", block, 16)[0])


def list_snapshots(part: Slice) -> dict[int, list[Snapshot]]:
    """Each volume's snapshots by its index in the container. Raises ``SnapshotError``
    (or ``struct.error`` on a cut-short structure) when they cannot be listed."""
    container = Container(part)
    return {i: container.snapshots(sb) for i, sb in container.volume_superblocks()}
