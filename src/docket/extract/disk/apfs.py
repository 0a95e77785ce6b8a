"""APFS containers through ``pyfsapfs``, read-only: each volume of the container is a
child of the partition (``p2 (APFS) / Macintosh HD``) with its regular files nested under
it. An encrypted volume (FileVault 2 on APFS) is opened with a ``password`` or
``recovery`` line of the key file, or recorded ``encrypted``.

Snapshots (a Mac's local Time Machine snapshots among them) are listed from the on-disk
structures (``apfs_snapshots.py``): each a dated version under its volume
(``snapshot 1 2024-03-01T10:15:00Z NAME``) holding its regular files with their bytes,
read by Docket's own reader (``apfs_files.py``: no library Docket can use opens one).
A snapshot of an encrypted volume is recorded ``encrypted``; one whose tree cannot be
read, ``corrupt`` with the reason.

Limits of the library (pyfsapfs 20260921): it lists no snapshots and no deleted entries;
extended attributes and resource forks are not extracted."""

from __future__ import annotations

import stat
import struct
from datetime import UTC
from typing import Any

from docket.extract.disk.apfs_files import SnapFile, SnapshotTree
from docket.extract.disk.apfs_snapshots import Snapshot, SnapshotError, list_snapshots
from docket.extract.disk.filesystem import Cap, Reader, Walk
from docket.extract.disk.keys import Key
from docket.extract.disk.layers import Slice, holder, opened_with
from docket.extract.disk.virtual import short
from docket.extract.sink import Sink
from docket.model.errors import Code
from docket.model.results import Child


def walk_apfs(
    part: Slice,
    sink: Sink,
    parent: Child,
    keys: list[Key],
    cap: Cap,
    only: set[str] | None = None,
) -> Walk:
    """Every volume of the APFS container in ``part``, and their files; with ``only``,
    just the volumes of those names (encrypted ones, opened with a key given later)."""
    import pyfsapfs

    total = Walk()
    container = pyfsapfs.container()
    part.seek(0)
    container.open_file_object(part)
    parent.meta["volumes"] = int(container.number_of_volumes)
    snapshots = _list_snapshots(part, sink, parent)
    for i in range(container.number_of_volumes):
        volume = container.get_volume(i)
        name = _name(volume, i)
        if only is not None and name not in only:
            continue
        meta: dict[str, Any] = {"fs": "APFS", "volume_index": i}
        if volume.is_locked() and not _unlock(volume, keys, meta):
            tried = [k for k in keys if k.kind in ("password", "recovery")]
            why = f"none of the {len(tried)} keys opened it" if tried else "it is encrypted"
            sink.child_error(
                name,
                Code.ENCRYPTED,
                f"APFS volume (FileVault 2): {why}; needs the user's password or the"
                " recovery key ('password: ...' or 'recovery: ...' in --key-file, or the"
                " password in --passwords)",
                status="encrypted",
                meta=meta,
                parent=parent,
            )
            continue
        vol_item = holder(sink, name, meta, parent)
        state = Walk()
        try:
            _walk(volume.get_root_directory(), "", sink, vol_item, state, cap)
        except OSError as exc:
            sink.warn(Code.MEMBER_ERROR, f"{parent.name} / {name}: {short(exc)}")
        vol_item.meta.update(files=state.files)
        if state.left_out:
            vol_item.meta["left_out"] = state.left_out
        total.files += state.files
        if snapshots is not None:
            total.files += _snapshot_items(snapshots.get(i, []), part, sink, vol_item, cap)
    return total


def _list_snapshots(part: Slice, sink: Sink, parent: Child) -> dict[int, list[Snapshot]] | None:
    """Each volume's snapshots by index; None (with a warning) when they cannot be listed."""
    try:
        return list_snapshots(part)
    except (SnapshotError, struct.error, OSError) as exc:
        sink.warn(Code.CORRUPT, f"{parent.name}: cannot list the APFS snapshots: {short(exc)}")
        return None


def _snapshot_items(snaps: list[Snapshot], part: Slice, sink: Sink, volume: Child, cap: Cap) -> int:
    """Each snapshot a dated version of the volume, holding its files; how many."""
    volume.meta["snapshots"] = len(snaps)
    total = 0
    for n, snap in enumerate(snaps, 1):
        meta = {"fs": "APFS", "snapshot": snap.created, "version": n, "name": snap.name,
                "xid": snap.xid, "changed": snap.changed}  # fmt: skip
        label = f"snapshot {n} {snap.created} {snap.name}"
        if snap.encrypted:
            sink.child_error(
                label,
                Code.ENCRYPTED,
                "APFS snapshot of an encrypted volume, listed: its files are not read"
                " (Docket reads the snapshots of unencrypted volumes only); mount it on a"
                " Mac (mount_apfs -s NAME) with the volume's password and image what it"
                " holds",
                status="encrypted",
                meta=meta,
                parent=volume,
            )
            continue
        try:
            tree = SnapshotTree(part, snap)
            files = tree.files()
        except (SnapshotError, struct.error, OSError) as exc:
            why = f"its files cannot be read: {short(exc)}"
            sink.warn(Code.CORRUPT, f"{volume.name} / {label}: {why}")
            sink.child_error(label, Code.CORRUPT, f"APFS snapshot listed, {why}",
                             meta=meta, parent=volume)  # fmt: skip
            continue
        item = holder(sink, label, meta, volume)
        state = Walk()
        for f in files:
            if cap.full:
                cap.left_out += 1
                state.left_out += 1
                continue
            state.tick(sink, files=1)
            _snap_file(tree, f, sink, item, state)
            cap.used += 1
        item.meta.update(files=state.files)
        if state.left_out:
            item.meta["left_out"] = state.left_out
        total += state.files
    return total


def _snap_file(tree: SnapshotTree, f: SnapFile, sink: Sink, snap: Child, state: Walk) -> None:
    meta: dict[str, Any] = {"fs": "APFS", "inode": f.inode, "size": f.size, "uid": f.uid,
                            "gid": f.gid, "mode": f"{f.mode & 0o7777:04o}", **f.times}  # fmt: skip
    if f.compressed:
        sink.child_error(
            f.path,
            Code.UNSUPPORTED,
            "APFS compressed file (decmpfs) in a snapshot: its bytes, kept in an extended"
            " attribute or resource fork, are not read",
            status="unsupported",
            meta=meta,
            parent=snap,
        )
        return
    reader = Reader(lambda at, n: tree.read(f, at, n), f.size, sink, state, short)
    problem = reader.problem
    child = sink.child(f.path, reader.chunks(), meta=meta, parent=snap)
    state.files += 1
    if problem:
        child.meta["read_error"] = problem[0]
        sink.warn(Code.TRUNCATED, f"{snap.name} / {f.path}: {problem[0]}")


def _name(volume: Any, i: int) -> str:
    try:
        name = volume.get_name()
    except OSError:
        name = None
    return str(name) if name else f"volume {i + 1}"


def _unlock(volume: Any, keys: list[Key], meta: dict[str, Any]) -> bool:
    for key in keys:
        if key.kind not in ("password", "recovery"):
            continue
        try:
            if key.kind == "password":
                volume.set_password(key.value)
            else:
                volume.set_recovery_password(key.value)
            if volume.unlock():
                meta["encryption"] = "APFS"
                opened_with(meta, key)
                return True
        except OSError:
            continue
    meta["encryption"] = "APFS"
    return False


def _walk(directory: Any, prefix: str, sink: Sink, part: Child, state: Walk, cap: Cap) -> None:
    stack: list[tuple[Any, str]] = [(directory, prefix)]
    while stack:
        folder, where = stack.pop()
        subdirs = []
        for entry in folder.sub_file_entries:
            path = f"{where}{entry.name}"
            mode = int(entry.file_mode or 0)
            if stat.S_ISDIR(mode):
                subdirs.append((entry, path + "/"))
                continue
            if not stat.S_ISREG(mode):
                continue  # links, devices, sockets: as the TSK walk does
            if cap.full:
                cap.left_out += 1
                state.left_out += 1
                continue
            state.tick(sink, files=1)
            _file(entry, path, mode, sink, part, state)
            cap.used += 1
        stack.extend(reversed(subdirs))


def _file(entry: Any, path: str, mode: int, sink: Sink, part: Child, state: Walk) -> None:
    size = int(entry.size or 0)
    meta: dict[str, Any] = {
        "fs": "APFS",
        "inode": int(entry.identifier),
        "size": size,
        "uid": int(entry.owner_identifier),
        "gid": int(entry.group_identifier),
        "mode": f"{mode & 0o7777:04o}",
    }
    # pyfsapfs 20260921 reads j_inode_val_t's create_time as its modification time and
    # mod_time as its creation time (Apple's reference: create_time comes first; on the
    # sample the creation time then equals the added time, as it should): swapped back
    for key, attr in (
        ("created", "modification_time"),
        ("modified", "creation_time"),
        ("accessed", "access_time"),
        ("changed", "inode_change_time"),
        ("added", "added_time"),
    ):
        when = getattr(entry, attr, None)
        if when is not None:
            meta[key] = when.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    reader = Reader(lambda at, n: entry.read_buffer_at_offset(n, at), size, sink, state, short)
    problem = reader.problem
    child = sink.child(path, reader.chunks(), meta=meta, parent=part)
    state.files += 1
    if problem:
        child.meta["read_error"] = problem[0]
        sink.warn(Code.TRUNCATED, f"{part.name} / {path}: {problem[0]}")
