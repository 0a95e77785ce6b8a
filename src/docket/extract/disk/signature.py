"""Recognise a raw disk by its structures, not its name: a partition table (MBR, GPT) or
a bare file system's boot sector or superblock. Pure byte checks on the head of a file,
so ``detect`` can call them without loading The Sleuth Kit."""

from __future__ import annotations

import struct

# MBR partition types that mean "this disk is GPT" (protective) or a real partition.
_PROTECTIVE = 0xEE


def sniff_disk(head: bytes) -> dict[str, str] | None:
    """``{"layout": ...}`` when ``head`` starts a raw disk or file system, else None."""
    if head[512:520] == b"EFI PART":
        return {"layout": "gpt"}
    if len(head) >= 4096 + 8 and head[4096:4104] == b"EFI PART":
        return {"layout": "gpt"}  # 4096-byte sectors
    # Volumes that hold a file system rather than being one (docket.extract.disk.layers).
    if head[:6] == b"LUKS\xba\xbe":
        return {"layout": "luks"}
    if head[3:11] == b"-FVE-FS-":
        return {"layout": "bitlocker"}
    if head[32:36] == b"NXSB":
        return {"layout": "apfs"}
    if head[512:520] == b"LABELONE" and head[536:544] == b"LVM2 001":
        return {"layout": "lvm"}
    if head[3:11] == b"NTFS    ":
        return {"layout": "ntfs"}
    if head[3:11] == b"EXFAT   ":
        return {"layout": "exfat"}
    boot = head[510:512] == b"\x55\xaa"
    if boot and _fat(head):
        return {"layout": "fat"}
    if len(head) >= 1082 and head[1080:1082] == b"\x53\xef" and _ext(head):
        return {"layout": "ext"}
    if head[1024:1026] in (b"H+", b"HX") and head[1026:1028] in (b"\x00\x04", b"\x00\x05"):
        return {"layout": "hfs+"}
    if boot and _mbr(head):
        return {"layout": "mbr"}
    return None


def _fat(head: bytes) -> bool:
    # The file-system type label is informative only, so check the BPB too: a sane
    # sector size and a power-of-two cluster size.
    label = head[54:62] in (b"FAT12   ", b"FAT16   ", b"FAT     ") or head[82:90] == b"FAT32   "
    if not label or head[0] not in (0xEB, 0xE9):
        return False
    sector = struct.unpack_from("<H", head, 11)[0]
    cluster = head[13]
    return sector in (512, 1024, 2048, 4096) and cluster in (1, 2, 4, 8, 16, 32, 64, 128)


def _ext(head: bytes) -> bool:
    # s_log_block_size (offset 24 in the superblock) is 0..6 for 1 KiB..64 KiB blocks.
    log_block = struct.unpack_from("<I", head, 1024 + 24)[0]
    inodes = struct.unpack_from("<I", head, 1024)[0]
    return log_block <= 6 and inodes > 0


def _mbr(head: bytes) -> bool:
    """A plausible partition table: every entry's status is 0x00 or 0x80, at least one
    entry is used, and used entries have a start and a length."""
    used = 0
    for i in range(4):
        entry = head[446 + 16 * i : 446 + 16 * (i + 1)]
        status, ptype = entry[0], entry[4]
        start, length = struct.unpack_from("<II", entry, 8)
        if status not in (0x00, 0x80):
            return False
        if ptype == 0:
            continue
        if start == 0 or length == 0:
            return False
        used += 1
    return used > 0


def ewf_segment(head: bytes) -> int | None:
    """The segment number stored in an EWF segment's header (1 for ``.E01``)."""
    if head[:8] in (b"EVF\x09\x0d\x0a\xff\x00", b"LVF\x09\x0d\x0a\xff\x00") and len(head) >= 11:
        return struct.unpack_from("<H", head, 9)[0]
    if head[:8] in (b"EVF2\r\n\x81\x00", b"LEF2\r\n\x81\x00") and len(head) >= 16:
        return struct.unpack_from("<I", head, 12)[0]
    return None
