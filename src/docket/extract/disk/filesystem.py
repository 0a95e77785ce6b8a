"""Walk one file system through The Sleuth Kit and stream every file into the sink.

Allocated files, NTFS alternate data streams and deleted entries whose content is still
addressable become children; directories are not items (their path is in the name).
Reads go chunk by chunk from the image into the blob store, so no temp copy of the image
or of a file is ever made."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytsk3

from docket.extract.sink import Sink
from docket.model.errors import Code
from docket.model.results import Child

CHUNK = 1024 * 1024
KEEPALIVE_FILES = 200
KEEPALIVE_BYTES = 64 * 1024 * 1024
OVERWRITTEN = "deleted: content read from unallocated clusters may be overwritten or reused"

FS_NAMES = {
    pytsk3.TSK_FS_TYPE_NTFS: "NTFS",
    pytsk3.TSK_FS_TYPE_FAT12: "FAT12",
    pytsk3.TSK_FS_TYPE_FAT16: "FAT16",
    pytsk3.TSK_FS_TYPE_FAT32: "FAT32",
    pytsk3.TSK_FS_TYPE_EXFAT: "exFAT",
    pytsk3.TSK_FS_TYPE_EXT2: "ext2",
    pytsk3.TSK_FS_TYPE_EXT3: "ext3",
    pytsk3.TSK_FS_TYPE_EXT4: "ext4",
    pytsk3.TSK_FS_TYPE_HFS: "HFS+",
    pytsk3.TSK_FS_TYPE_ISO9660: "ISO 9660",
}
_UNIX = {"ext2", "ext3", "ext4", "HFS+"}  # file systems that store owners
# FAT and exFAT store wall-clock time with no zone (exFAT's optional UTC offset is not
# read by TSK), and TSK turns it into seconds with the reader's own zone (mktime). Undoing
# that gives back the clock as stored; it is recorded without a zone, marked "local".
_LOCAL_TIME = {"FAT12", "FAT16", "FAT32", "exFAT"}
LOCAL_TIME_NOTE = "local"
_EXFAT_STRUCTURES = {"$ALLOC_BITMAP", "$UPCASE_TABLE"}
_DATA_ATTRS = {
    pytsk3.TSK_FS_ATTR_TYPE_DEFAULT,
    pytsk3.TSK_FS_ATTR_TYPE_NTFS_DATA,
    pytsk3.TSK_FS_ATTR_TYPE_HFS_DATA,
}
_DIRS = {pytsk3.TSK_FS_META_TYPE_DIR, pytsk3.TSK_FS_META_TYPE_VIRT_DIR}


@dataclass(slots=True)
class Cap:
    """The per-disk file cap (setting ``disk_max_files``), shared by every partition:
    past it, files are still listed and counted but no longer stored."""

    limit: int
    used: int = 0
    left_out: int = 0

    @property
    def full(self) -> bool:
        return self.used >= self.limit


@dataclass(slots=True)
class Walk:
    """Counters for one walk, and the keepalive pacing."""

    files: int = 0
    deleted: int = 0
    streams: int = 0
    bytes: int = 0
    metafiles: int = 0  # file-system structures not extracted ($MFT, FAT volume label)
    _since_files: int = 0
    _since_bytes: int = 0
    left_out: int = 0  # files listed but not stored: the disk's cap was reached
    seen_dirs: set[int] = field(default_factory=set)

    def tick(self, sink: Sink, nbytes: int = 0, files: int = 0) -> None:
        self._since_bytes += nbytes
        self._since_files += files
        if self._since_bytes >= KEEPALIVE_BYTES or self._since_files >= KEEPALIVE_FILES:
            sink.keepalive(120)
            self._since_bytes = self._since_files = 0


def fs_name(fs: pytsk3.FS_Info) -> str:
    return FS_NAMES.get(fs.info.ftype, f"tsk-{int(fs.info.ftype)}")


def walk_fs(fs: pytsk3.FS_Info, sink: Sink, part: Child, cap: Cap | None = None) -> Walk:
    """Every file of ``fs`` as a child of ``part``. Broken directories are warnings.
    Once ``cap`` is full the rest are counted in ``cap.left_out`` and not stored."""
    kind = fs_name(fs)
    state = Walk()
    cap = cap or Cap(limit=2**63)
    root = fs.info.root_inum
    stack: list[tuple[int, str, bool]] = [(root, "", False)]
    state.seen_dirs.add(root)
    while stack:
        inum, prefix, dir_deleted = stack.pop()
        try:
            directory = fs.open_dir(inode=inum)
        except OSError as exc:
            sink.warn(Code.MEMBER_ERROR, f"{part.name}: cannot read folder /{prefix}: {exc}")
            continue
        subdirs: list[tuple[int, str, bool]] = []
        for entry in directory:
            name_info = entry.info.name
            raw = name_info.name
            name = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            if name in (".", "..") or not name:
                continue
            path = f"{prefix}{name}"
            meta = entry.info.meta
            if meta is None and prefix.startswith("$OrphanFiles/"):
                continue  # TSK lists unused reserved entries there; nothing to recover
            if _structure(kind, prefix, name, meta):
                state.metafiles += 1
                continue
            deleted = dir_deleted or bool(name_info.flags & pytsk3.TSK_FS_NAME_FLAG_UNALLOC)
            if meta is not None and meta.type in _DIRS:
                if meta.addr in state.seen_dirs:
                    if not deleted:  # a deleted folder pointing at a live one is normal
                        sink.warn(
                            Code.CORRUPT, f"{part.name}: folder loop at /{path}; not followed"
                        )
                    continue
                state.seen_dirs.add(meta.addr)
                subdirs.append((meta.addr, path + "/", deleted))
                continue
            if meta is not None and meta.type not in (pytsk3.TSK_FS_META_TYPE_REG, 0):
                continue  # TSK's virtual files ($FAT1, $MBR), links, devices, sockets
            if cap.full:
                cap.left_out += 1
                state.left_out += 1
                state.tick(sink, files=1)
                continue
            before = len(sink.children)
            _file(entry, kind, path, deleted, sink, part, state)
            cap.used += len(sink.children) - before
        # Depth-first in name order: reversed so the stack pops the first name first.
        stack.extend(reversed(subdirs))
    return state


def _structure(kind: str, prefix: str, name: str, meta: Any) -> bool:
    """File-system structures rather than files: NTFS metafiles (MFT entries 0-15 and
    $Extend, whose $BadClus:$Bad and $UsnJrnl:$J streams are sparse and as large as the
    volume), HFS+ special files, the FAT/exFAT volume label (TSK lists it as an empty
    file), and exFAT's allocation bitmap and up-case table (listed in the root)."""
    if prefix:
        return False
    if kind in ("NTFS", "HFS+") and name.startswith("$") and meta is not None:
        return int(meta.addr) < 16  # HFS+: TSK's $ExtentsFile, $CatalogFile… (IDs 3-8)
    if kind == "exFAT" and name in _EXFAT_STRUCTURES:
        return True
    return kind in _LOCAL_TIME and name.endswith("(Volume Label Entry)")


def _file(
    entry: Any, kind: str, path: str, deleted: bool, sink: Sink, part: Child, state: Walk
) -> None:
    meta = entry.info.meta
    state.tick(sink, files=1)
    if meta is None:
        sink.child_error(
            path,
            Code.UNREADABLE,
            "deleted entry: only its name is left, no metadata to find its content",
            deleted=True,
            parent=part,
        )
        state.deleted += 1
        return
    fsmeta = _meta(meta, kind)
    meta_unalloc = bool(meta.flags & pytsk3.TSK_FS_META_FLAG_UNALLOC)
    if deleted and not meta_unalloc:
        sink.child_error(
            path,
            Code.UNREADABLE,
            f"deleted name; its metadata entry {meta.addr} now belongs to another file",
            deleted=True,
            meta=fsmeta,
            parent=part,
        )
        state.deleted += 1
        return
    deleted = deleted or meta_unalloc
    streams = [a for a in entry if a.info.type in _DATA_ATTRS] or [None]
    default_done = False
    for attr in streams:
        aname = attr.info.name if attr is not None else None
        aname = aname.decode("utf-8", "replace") if isinstance(aname, bytes) else aname
        if aname and aname != "$Data":
            _read(
                entry,
                f"{path}:{aname}",
                attr,
                {**fsmeta, "stream": aname},
                deleted,
                sink,
                part,
                state,
            )
            state.streams += 1
        elif not default_done:
            _read(entry, path, attr, fsmeta, deleted, sink, part, state)
            default_done = True
    if not default_done:  # only named streams, never the file itself (rare)
        _read(entry, path, None, fsmeta, deleted, sink, part, state)


class Reader:
    """A file's bytes in ``CHUNK``s through ``read_at(offset, length)`` (each file-system
    library names it differently), ticking the walk; where reading stopped and why is
    kept (``got``, ``problem``) so a short read keeps what came and says so."""

    def __init__(
        self, read_at: Callable[[int, int], bytes], size: int, sink: Sink, state: Walk,
        why: Callable[[BaseException], str] | None = None,
    ) -> None:  # fmt: skip
        self.read_at, self.size, self.sink, self.state = read_at, size, sink, state
        self.why = why or _first
        self.got = 0
        self.problem: list[str] = []

    def chunks(self) -> Iterator[bytes]:
        while self.got < self.size:
            try:
                data = self.read_at(self.got, min(CHUNK, self.size - self.got))
            except OSError as exc:
                self.problem.append(
                    f"read failed at byte {self.got} of {self.size}: {self.why(exc)}"
                )
                return
            if not data:
                self.problem.append(f"no data at byte {self.got} of {self.size}")
                return
            self.got += len(data)
            self.state.tick(self.sink, nbytes=len(data))
            yield data


def _read(
    entry: Any,
    name: str,
    attr: Any,
    fsmeta: dict[str, Any],
    deleted: bool,
    sink: Sink,
    part: Child,
    state: Walk,
) -> None:
    size = int(attr.info.size) if attr is not None else int(entry.info.meta.size or 0)
    atype = attr.info.type if attr is not None else pytsk3.TSK_FS_ATTR_TYPE_DEFAULT
    aid = attr.info.id if attr is not None else -1
    reader = Reader(lambda at, n: entry.read_random(at, n, atype, aid), size, sink, state)
    problem = reader.problem

    meta = dict(fsmeta, size=size)
    if size and not _probe(entry, atype, aid, problem):
        sink.child_error(name, Code.UNREADABLE, problem[0], deleted=deleted, meta=meta, parent=part)
        state.deleted += deleted
        return
    child = sink.child(name, reader.chunks(), meta=meta, deleted=deleted, parent=part)
    got = reader.got
    state.files += 1
    state.deleted += deleted
    state.bytes += got
    if deleted:
        child.meta.update(recovered_bytes=got, note=OVERWRITTEN)
    if problem:
        child.meta.update(read_error=problem[0], recovered_bytes=got)
        sink.warn(Code.TRUNCATED, f"{part.name} / {name}: {problem[0]}; {got} bytes kept")


def _probe(entry: Any, atype: int, aid: int, problem: list[str]) -> bool:
    """Whether the first bytes can be read at all: a deleted file whose runs are gone is
    recorded without bytes rather than as an empty file."""
    try:
        if entry.read_random(0, 1, atype, aid):
            return True
    except OSError as exc:
        problem.append(f"content cannot be read: {_first(exc)}")
        return False
    problem.append("content cannot be read: no data at byte 0")
    return False


def _meta(meta: Any, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {"fs": kind, "inode": int(meta.addr)}
    local = kind in _LOCAL_TIME
    for key, attr in (
        ("created", "crtime"),
        ("modified", "mtime"),
        ("accessed", "atime"),
        ("changed", "ctime"),
    ):
        when = _iso(getattr(meta, attr, 0), getattr(meta, attr + "_nano", 0), local)
        if when:
            out[key] = when
    if local and any(k in out for k in ("created", "modified", "accessed")):
        out["time_zone"] = LOCAL_TIME_NOTE
    if kind in _UNIX:
        out.update(uid=int(meta.uid), gid=int(meta.gid), mode=f"{int(meta.mode) & 0o7777:04o}")
    return out


def _iso(seconds: int, nano: int, local: bool = False) -> str | None:
    """UTC with a ``Z``; or, for ``local``, the wall-clock time with no zone."""
    if not seconds or seconds < 0:
        return None
    try:
        when = datetime.fromtimestamp(seconds, None if local else UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if nano:
        when = when.replace(microsecond=int(nano) // 1000)
    return when.isoformat().replace("+00:00", "Z")


def _first(exc: BaseException) -> str:
    return str(exc).split("\n")[0][:300]
