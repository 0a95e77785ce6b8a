"""The disk-image extractor: image → partitions → (LVM, encryption, APFS) → file systems
→ files; the image types it reads, and the walk's totals (``walk.py`` does the walk).

Each partition (or the one bare file system) is a child with no bytes of its own, named
``p2 (NTFS)``; the files found in it are nested under it, so lineage reads
``drive.E01 / p2 (NTFS) / Users/a.docx``. A partition that cannot be read is recorded
with its reason and the others are still read."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import ClassVar

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.disk.filesystem import Cap
from docket.extract.disk.image import open_image
from docket.extract.disk.keys import KeyFileError, listed_keys, load_keys
from docket.extract.disk.signature import ewf_segment, sniff_disk
from docket.extract.disk.virtual import sniff_dmg, sniff_vmdk
from docket.extract.disk.volumes import volumes
from docket.extract.disk.walk import DiskWalk
from docket.extract.passwords import PasswordFileError
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code

# Room above ``disk_max_files`` for the partition items themselves.
PARTITION_ROOM = 1024


_EWF = (b"EVF\x09\x0d\x0a\xff\x00", b"EVF2\r\n\x81\x00", b"LVF\x09\x0d\x0a\xff\x00")


def _ewf(probe: Probe) -> Detection | None:
    if not probe.head.startswith(_EWF):
        return None
    # A later segment of a split set is read with the first.
    return Detection("ewf", {"segment": ewf_segment(probe.head)})


def _disk(probe: Probe) -> Detection | None:
    # A partition table or a bare file system (raw/dd images).
    found = sniff_disk(probe.head)
    return None if found is None else Detection("disk", found)


EWF = FileType(
    "ewf",
    "application/x-ewf",
    "disk-image",
    ("e01", "ex01", "l01"),
    sniff=_ewf,
    order=10,
)

ISO = FileType(
    "iso",
    "application/x-iso9660-image",
    "disk-image",
    ("iso",),
    magic=((0x8001, b"CD001"),),  # ISO 9660: the first volume descriptor
    order=0,
)

VHD = FileType(
    "vhd",
    "application/x-vhd",
    "disk-image",
    ("vhd",),
    magic=((0, b"conectix"),),  # a dynamic VHD starts with a copy of its footer
    order=10,
)

VHDX = FileType(
    "vhdx", "application/x-vhdx", "disk-image", ("vhdx",), magic=((0, b"vhdxfile"),), order=10
)

VMDK = FileType("vmdk", "application/x-vmdk", "disk-image", ("vmdk",), sniff=sniff_vmdk, order=10)

QCOW = FileType(
    "qcow",
    "application/x-qemu-disk",
    "disk-image",
    ("qcow2", "qcow", "qcow2c"),
    magic=((0, b"QFI\xfb"),),
    order=10,
)

DMG = FileType(
    "dmg",
    "application/x-apple-diskimage",
    "disk-image",
    ("dmg",),
    sniff=sniff_dmg,
    order=35,  # after the head sniffs: it reads the file's tail
)

DISK = FileType(
    "disk",
    "application/x-raw-disk-image",
    "disk-image",
    ("dd", "img", "raw", "ima", "001"),
    sniff=_disk,
    order=30,
)


class DiskImageExtractor(Extractor):
    name: ClassVar[str] = "disk-image"
    file_types = (DISK, EWF, ISO, VHD, VHDX, VMDK, QCOW, DMG)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        # A drive holds far more files than an archive is allowed members: the disk has
        # its own cap (disk_max_files) in place of max_members.
        cap = Cap(sink.settings.disk_max_files)
        sink.limits = dataclasses.replace(sink.limits, max_members=cap.limit + PARTITION_ROOM)
        try:
            keys = load_keys(sink.settings.key_file)
        except KeyFileError as exc:
            sink.warn(Code.UNREADABLE, str(exc))
            keys = []
        try:  # the password list is tried on volumes too, after the key file
            keys += listed_keys(sink.settings)
        except PasswordFileError as exc:
            sink.warn(Code.UNREADABLE, str(exc))
        img = open_image(path, detection, sink)
        try:
            media = img.get_size()
            # Files on a drive cannot add up to much more than the drive (deleted files
            # may share clusters with live ones): a drive larger than max_expanded_mb is
            # bounded by twice its own size instead. The ratio cap still guards against
            # an E01 whose tiny segments claim a huge medium.
            sink.limits = dataclasses.replace(
                sink.limits, max_expanded=max(sink.limits.max_expanded, 2 * media)
            )
            if "image_format" not in sink.metadata:
                sink.meta("image_format", "ewf" if detection.type == "ewf" else "raw")
            sink.meta("image_size", media)
            walk = DiskWalk(sink, cap, keys)
            totals = walk.totals
            want = list(sink.reopen) or None  # only encrypted volumes, with a later key
            for vol in volumes(img, sink):
                walk.volume(img, vol, want=want)
            if cap.left_out:
                totals["left_out"] = cap.left_out
                sink.warn(
                    Code.TOO_MANY_MEMBERS,
                    f"disk_max_files ({cap.limit}) reached: {cap.left_out} more files were"
                    " listed but not extracted (raise disk_max_files to take them)",
                )
            sink.meta("disk", totals)
            bad = getattr(img, "bad", [])
            if bad:
                sink.warn(
                    Code.TRUNCATED,
                    f"{len(bad)} reads of the image failed (first at byte {bad[0][0]}:"
                    f" {bad[0][1]}); the files that needed them are recorded as unreadable",
                )
        finally:
            img.close()
