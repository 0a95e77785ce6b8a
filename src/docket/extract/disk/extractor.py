"""The disk-image extractor: image → partitions → file systems → files.

Each partition (or the one bare file system) is a child with no bytes of its own, named
``p2 (NTFS)``; the files found in it are nested under it, so lineage reads
``drive.E01 / p2 (NTFS) / Users/a.docx``. A partition that cannot be read is recorded
with its reason and the others are still read."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, ClassVar

import pytsk3

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.disk.apfs import walk_apfs
from docket.extract.disk.filesystem import Cap, fs_name, walk_fs
from docket.extract.disk.image import open_image
from docket.extract.disk.keys import Key, KeyFileError, load_keys
from docket.extract.disk.layers import (
    ENCRYPTED,
    NAMES,
    Slice,
    holder,
    layer_at,
    logical_volumes,
    shadow_copies,
    unlock,
)
from docket.extract.disk.signature import ewf_segment, sniff_disk
from docket.extract.disk.virtual import short, sniff_dmg, sniff_vmdk
from docket.extract.disk.volumes import Volume, volumes
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code
from docket.model.results import Child

# Room above ``disk_max_files`` for the partition items themselves.
PARTITION_ROOM = 1024
# Layers nested in one another (LUKS on LVM on a partition…) before the walk stops.
MAX_LAYERS = 4


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
            totals = {"partitions": 0, "files": 0, "deleted": 0, "streams": 0}
            for vol in volumes(img, sink):
                self._volume(img, vol, sink, totals, cap, keys)
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

    def _volume(
        self,
        img: pytsk3.Img_Info,
        vol: Volume,
        sink: Sink,
        totals: dict,
        cap: Cap,
        keys: list[Key],
        parent: Child | None = None,
        depth: int = 0,
    ) -> None:
        where: dict[str, Any] = {
            "offset": vol.offset,
            "length": vol.length,
            "table_entry": vol.description or "-",
        }
        if vol.slot is not None:
            where["slot"] = vol.slot
        layer = layer_at(img, vol.offset) if depth < MAX_LAYERS else None
        if layer is not None:
            totals["partitions"] += 1
            self._layer(layer, img, vol, where, sink, totals, cap, keys, parent, depth)
            return
        try:
            fs = pytsk3.FS_Info(img, offset=vol.offset)
        except OSError as exc:
            if vol.label == "fs" and parent is None:
                sink.warn(Code.UNSUPPORTED, "no partition table and no file system recognised")
                return
            sink.child_error(
                f"{vol.label} ({vol.description})",
                Code.UNSUPPORTED,
                f"no readable file system at byte {vol.offset}: {str(exc).splitlines()[0][:200]}",
                status="unsupported",
                meta=where,
                parent=parent,
            )
            totals["partitions"] += 1
            return
        kind = fs_name(fs)
        where.update(
            fs=kind, block_size=int(fs.info.block_size), block_count=int(fs.info.block_count)
        )
        part = holder(sink, f"{vol.label} ({kind})", where, parent)
        totals["partitions"] += 1
        self._walk(fs, sink, part, totals, cap)
        if kind == "NTFS":
            self._shadow_copies(img, vol, sink, part, totals, cap)

    def _walk(self, fs: pytsk3.FS_Info, sink: Sink, part: Child, totals: dict, cap: Cap) -> None:
        state = walk_fs(fs, sink, part, cap)
        part.meta.update(files=state.files, deleted=state.deleted, streams=state.streams)
        if state.left_out:
            part.meta["left_out"] = state.left_out
        if state.metafiles:
            part.meta["structures_not_extracted"] = state.metafiles
        totals["files"] += state.files
        totals["deleted"] += state.deleted
        totals["streams"] += state.streams

    def _layer(
        self,
        layer: str,
        img: pytsk3.Img_Info,
        vol: Volume,
        where: dict[str, Any],
        sink: Sink,
        totals: dict,
        cap: Cap,
        keys: list[Key],
        parent: Child | None,
        depth: int,
    ) -> None:
        """An LVM physical volume, an encrypted volume or an APFS container at ``vol``."""
        piece = Slice(img, vol.offset, vol.length)
        label = f"{vol.label} ({NAMES[layer]})"
        if layer == "apfs":
            part = holder(sink, label, where, parent)
            try:
                totals["files"] += walk_apfs(piece, sink, part, keys, cap).files
            except OSError as exc:
                part.status, part.code = "failed", Code.CORRUPT
                part.message = f"cannot read the APFS container: {short(exc)}"
            return
        if layer in ENCRYPTED:
            opened = unlock(layer, piece, keys)
            meta = {**where, **opened.meta}
            if opened.image is None and opened.damaged:
                sink.child_error(label, Code.CORRUPT, opened.message, meta=meta, parent=parent)
                return
            if opened.image is None:
                totals["encrypted"] = totals.get("encrypted", 0) + 1
                sink.child_error(
                    label,
                    Code.ENCRYPTED,
                    opened.message,
                    status="encrypted",
                    meta=meta,
                    parent=parent,
                )
                return
            part = holder(sink, label, meta, parent)
            inner = opened.image
            try:
                size = inner.get_size()
                whole = Volume("fs", 0, size, "decrypted volume")
                self._volume(inner, whole, sink, totals, cap, keys, part, depth + 1)
            finally:
                inner.close()
            return
        try:
            group, lvs = logical_volumes(piece)
            found = list(lvs)
        except OSError as exc:
            sink.child_error(
                label,
                Code.CORRUPT,
                f"cannot read the LVM volume group: {short(exc)} (a group spread over"
                " several disks needs them all)",
                meta=where,
                parent=parent,
            )
            return
        meta = {**where, "volume_group": group, "logical_volumes": [n for n, _ in found]}
        part = holder(sink, f"{vol.label} (LVM2 {group})", meta, parent)
        for name, lv in found:
            whole = Volume(f"lv {name}", 0, lv.get_size(), f"logical volume {name}")
            self._volume(lv, whole, sink, totals, cap, keys, part, depth + 1)

    def _shadow_copies(
        self, img: pytsk3.Img_Info, vol: Volume, sink: Sink, part: Child, totals: dict, cap: Cap
    ) -> None:
        """Each Volume Shadow Copy of an NTFS volume: a dated version, walked in full."""
        try:
            copies = shadow_copies(Slice(img, vol.offset, vol.length))
        except OSError as exc:
            sink.warn(Code.CORRUPT, f"{part.name}: cannot read its shadow copies: {short(exc)}")
            return
        part.meta["shadow_copies"] = len(copies)
        for n, (stamp, store) in enumerate(copies, 1):
            name = f"vss{n} {stamp}"
            meta = {"snapshot": stamp, "version": n, "fs": "NTFS"}
            try:
                fs = pytsk3.FS_Info(store)
            except OSError as exc:
                sink.child_error(
                    name,
                    Code.CORRUPT,
                    f"shadow copy unreadable: {short(exc)}",
                    meta=meta,
                    parent=part,
                )
                continue
            snap = holder(sink, name, meta, part)
            self._walk(fs, sink, snap, totals, cap)
