"""A minimal OLE2 / Compound File Binary writer ([MS-CFB], version 3), for fixtures.

Enough to build .msg files and encrypted-Office containers that olefile (and Outlook)
read: 512-byte sectors, one FAT (up to 109 sectors, about 7 MB), a mini stream with its
mini FAT for streams under 4096 bytes, and a directory where each storage's children
hang as an all-black chain of right siblings in CFB's name order (a valid, if unbalanced,
red-black tree: readers only search it).
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Mapping

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data
        self.children: dict[str, _Entry] = {}
        self.sid = 0
        self.start, self.right, self.child = END, NOSTREAM, NOSTREAM


def _order(name: str) -> tuple[int, str]:
    # CFB compares names by length first, then by upper-cased code units.
    return len(name), name.upper()


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def make_cfb(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding ``streams`` ("storage/sub/stream" paths -> bytes)."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *dirs, leaf = path.split("/")
        for part in dirs:
            node = node.children.setdefault(part, _Entry(part, 1))
        node.children[leaf] = _Entry(leaf, 2, bytes(data))
    entries: list[_Entry] = []

    def number(node: _Entry) -> None:
        node.sid = len(entries)
        entries.append(node)
        kids = sorted(node.children.values(), key=lambda e: _order(e.name))
        for kid in kids:
            number(kid)
        for a, b in itertools.pairwise(kids):
            a.right = b.sid
        node.child = kids[0].sid if kids else NOSTREAM

    number(root)
    # Small streams live in the mini stream, in 64-byte mini sectors.
    mini, minifat = bytearray(), []
    for e in entries:
        if e.kind == 2 and 0 < len(e.data) < CUTOFF:
            e.start = len(mini) // MINI
            n = -(-len(e.data) // MINI)
            minifat += [e.start + i + 1 for i in range(n - 1)] + [END]
            mini += _pad(e.data, MINI)
    big = [e for e in entries if e.kind == 2 and len(e.data) >= CUTOFF]
    blobs = [bytes(mini)] if mini else []
    blobs += [e.data for e in big]
    dir_bytes_len = _pad(b"\0" * 128 * len(entries), SECTOR)
    sizes = [len(dir_bytes_len) // SECTOR, -(-len(minifat) * 4 // SECTOR)]
    sizes += [-(-len(b) // SECTOR) for b in blobs]
    n_fat = 1
    while n_fat * SECTOR // 4 < n_fat + sum(sizes):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("fixture too large for a single-DIFAT-header compound file")
    fat = [FATSECT] * n_fat
    starts = []
    for size in sizes:
        starts.append(len(fat) if size else END)
        fat += [len(fat) + i + 1 for i in range(size - 1)] + ([END] if size else [])
    dir_start, minifat_start, *blob_starts = starts
    if mini:
        root.start, root.data = blob_starts.pop(0), bytes(mini)
    for e, start in zip(big, blob_starts, strict=True):
        e.start = start
    fat += [FREE] * (n_fat * SECTOR // 4 - len(fat))
    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le")[:62] + b"\0\0"
        size = len(root.data) if e is root else len(e.data)
        directory += struct.pack(
            "<64sHBBIII16sIQQIII",
            name,
            len(name),
            e.kind,
            1,
            NOSTREAM,
            e.right,
            e.child,
            b"\0" * 16,
            0,
            0,
            0,
            e.start if size or e is root else END,
            size,
            0,
        )
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _MAGIC,
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        n_fat,
        dir_start,
        0,
        CUTOFF,
        minifat_start if minifat else END,
        sizes[1],
        END,
        0,
    )
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + _pad(bytes(directory), SECTOR)
    body += _pad(struct.pack(f"<{len(minifat)}I", *minifat), SECTOR) if minifat else b""
    body += b"".join(_pad(b, SECTOR) for b in blobs)
    return header + body
