"""The walk below the image: each partition or bare volume, then what it holds — an LVM
group's logical volumes, an opened encrypted volume, an APFS container's volumes, or a
file system (and, for NTFS, its shadow copies) — nested as children of one another, so
lineage reads ``server.img / p1 (LVM2 vg0) / lv home (LUKS) / fs (ext4) / notes.txt``.
A part that cannot be read is recorded with its reason and the rest is still read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytsk3

from docket.extract.disk.apfs import walk_apfs
from docket.extract.disk.filesystem import Cap, fs_name, walk_fs
from docket.extract.disk.keys import Key
from docket.extract.disk.layers import (
    ENCRYPTED,
    NAMES,
    HandleImage,
    Slice,
    holder,
    layer_at,
    logical_volumes,
    shadow_copies,
    unlock,
)
from docket.extract.disk.virtual import short
from docket.extract.disk.volumes import Volume
from docket.extract.sink import Sink
from docket.model.errors import Code
from docket.model.results import Child

# Layers nested in one another (LUKS on LVM on a partition…) before the walk stops.
MAX_LAYERS = 4
# The encrypted volumes still wanted below a point of the walk, or None for everything.
Want = list[tuple[str, ...]] | None


@dataclass(slots=True)
class DiskWalk:
    """One image's walk: where children go, the file cap, the keys, and the totals
    recorded as the image's ``disk`` metadata."""

    sink: Sink
    cap: Cap
    keys: list[Key]
    totals: dict[str, int] = field(
        default_factory=lambda: {"partitions": 0, "files": 0, "deleted": 0, "streams": 0}
    )

    def volume(
        self,
        img: pytsk3.Img_Info,
        vol: Volume,
        parent: Child | None = None,
        depth: int = 0,
        want: Want = None,
    ) -> None:
        """The partition or bare volume ``vol`` of ``img``: a layer, else a file system.
        ``want``: only the way down to these encrypted volumes (names from here down to
        each; a key file given after ingest, ``Sink.reopen``), None for everything."""
        sink, totals = self.sink, self.totals
        if want is not None:
            want = [w[1:] for w in want if w and w[0].startswith(f"{vol.label} (")]
            if not want:
                return
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
            self._layer(layer, img, vol, where, parent, depth, want)
            return
        if want is not None:
            return  # a file system: what is wanted is never inside one
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
        self._walk(fs, part)
        if kind == "NTFS":
            self._shadow_copies(img, vol, part)

    def _walk(self, fs: pytsk3.FS_Info, part: Child) -> None:
        totals = self.totals
        state = walk_fs(fs, self.sink, part, self.cap)
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
        parent: Child | None,
        depth: int,
        want: Want = None,
    ) -> None:
        """An LVM physical volume, an encrypted volume or an APFS container at ``vol``."""
        sink, totals = self.sink, self.totals
        piece = Slice(img, vol.offset, vol.length)
        label = f"{vol.label} ({NAMES[layer]})"
        if layer == "apfs":
            part = holder(sink, label, where, parent)
            only = None if want is None else {w[0] for w in want if w}
            try:
                totals["files"] += walk_apfs(piece, sink, part, self.keys, self.cap, only).files
            except OSError as exc:
                part.status, part.code = "failed", Code.CORRUPT
                part.message = f"cannot read the APFS container: {short(exc)}"
            return
        if layer in ENCRYPTED:
            opened = unlock(layer, piece, self.keys, sink.keepalive)
            meta = {**where, **opened.meta}
            if opened.image is None and opened.damaged:
                sink.child_error(label, Code.CORRUPT, opened.message, meta=meta, parent=parent)
                return
            if opened.image is None and opened.unsupported:
                sink.child_error(
                    label,
                    Code.UNSUPPORTED,
                    opened.message,
                    status="unsupported",
                    meta=meta,
                    parent=parent,
                )
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
                # the volume wanted is this one: all of it; else the way on down
                inside = None if want is None or () in want else want
                self.volume(inner, whole, part, depth + 1, inside)
                self._bad_reads(inner, part)
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
            self.volume(lv, whole, part, depth + 1, want)
            self._bad_reads(lv, part)

    def _shadow_copies(self, img: pytsk3.Img_Info, vol: Volume, part: Child) -> None:
        """Each Volume Shadow Copy of an NTFS volume: a dated version, walked in full."""
        sink = self.sink
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
            self._walk(fs, snap)
            self._bad_reads(store, snap)

    def _bad_reads(self, inner: HandleImage, part: Child) -> None:
        """Reads that failed inside a layer (a damaged logical volume, store or
        decryption) are told on the image, as the image's own failed reads are."""
        if inner.bad:
            offset, why = inner.bad[0]
            self.sink.warn(
                Code.TRUNCATED,
                f"{part.name}: {len(inner.bad)} reads failed (first at byte {offset}: {why});"
                " the files that needed them are recorded as unreadable",
            )
