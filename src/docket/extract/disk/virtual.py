"""Virtual-machine disks: VHD and VHDX (``pyvhdi``), VMDK (``pyvmdk``: monolithic sparse,
stream-optimised, and descriptor files with split or flat extents), QCOW2 (``pyqcow``);
and Apple's UDIF disk images (``.dmg``, compressed or not, ``pymodi``).
Each is opened as one byte stream (the guest's disk) that the partition and file-system
walk then reads like a raw image.

A split VMDK is a small text descriptor naming its extent files: they are looked for
next to the descriptor's original file (``Sink.source``), by base name only, so a
descriptor cannot make Docket read anything outside its own folder. An extent file seen
on its own is kept and skipped, like a later EWF segment. A differencing disk (QCOW
overlay, VMDK delta, differencing VHD) is read over its parent images, found the same
way (``Chain``)."""

from __future__ import annotations

import os
import re
import struct
from contextlib import ExitStack
from pathlib import Path, PureWindowsPath
from typing import Any, BinaryIO

from docket.extract.detect import Probe
from docket.extract.sink import Sink
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

VIRTUAL = ("vhd", "vhdx", "vmdk", "qcow", "dmg")
_DESCRIPTOR = b"# Disk DescriptorFile"
_EXTENT_LINE = re.compile(rb'^\s*(?:RW|RDONLY|NOACCESS)\s+\d+\s+\w+\s+"([^"]+)"', re.M)


def sniff_vmdk(probe: Probe) -> Detection | None:
    head = probe.head
    if head.startswith(_DESCRIPTOR):
        return Detection("vmdk", {"layout": "descriptor"})
    if head[:4] == b"KDMV" and len(head) >= 36:
        # A sparse extent: with its own descriptor (monolithic, stream-optimised) it is a
        # whole disk; without one it is one extent of a split set.
        return Detection("vmdk", {"layout": "sparse" if _has_descriptor(head) else "extent"})
    if head[:4] == b"COWD":  # ESX sparse extent: always part of a descriptor's set
        return Detection("vmdk", {"layout": "extent"})
    return None


def sniff_dmg(probe: Probe) -> bool:
    """A UDIF image ends with a 512-byte ``koly`` trailer; its head is whatever the first
    block holds (often compressed), so the tail is read."""
    try:
        with open(probe.path, "rb") as f:
            f.seek(-512, os.SEEK_END)
            tail = f.read(512)
    except OSError:
        return False
    return tail[:4] == b"koly" and tail[4:8] == b"\x00\x00\x00\x04"


def extent_descriptor(extent: Path) -> Path | None:
    """The descriptor (a sibling ``.vmdk``) that names ``extent``, if any."""
    try:
        siblings = sorted(extent.parent.glob("*.vmdk")) + sorted(extent.parent.glob("*.VMDK"))
    except OSError:
        return None
    for sib in siblings:
        try:
            if sib == extent or sib.stat().st_size > 64 * 1024:
                continue
            text = sib.read_bytes()
        except OSError:
            continue
        if text.startswith(_DESCRIPTOR) and any(
            Path(n.decode("utf-8", "replace")).name == extent.name
            for n in _EXTENT_LINE.findall(text)
        ):
            return sib
    return None


def open_virtual(path: Path, detection: Detection, sink: Sink, stack: ExitStack) -> Any:
    """A libyal handle (``read``, ``seek``, ``get_media_size``) on the guest disk.
    Files it opens are closed by ``stack``."""
    kind = detection.type
    blob = stack.enter_context(open(path, "rb"))  # noqa: SIM115 - closed by the stack
    try:
        chain = Chain(sink, stack)
        if kind in ("vhd", "vhdx"):
            handle = _vhd(blob, kind, sink, chain)
        elif kind == "qcow":
            handle = _qcow(blob, sink, chain)
        elif kind == "dmg":
            handle = _dmg(blob, sink)
        else:
            handle = _vmdk(blob, path, sink, stack, chain)
        if chain.names:
            sink.meta("parent_images", chain.names)
    except OSError as exc:
        raise ExtractError(Code.CORRUPT, f"cannot open the {_NAMES[kind]}: {short(exc)}") from exc
    stack.callback(handle.close)
    return handle


_NAMES = {
    "vhd": "VHD image",
    "vhdx": "VHDX image",
    "vmdk": "VMDK image",
    "qcow": "QCOW image",
    "dmg": "DMG image",
}


def _dmg(blob: BinaryIO, sink: Sink) -> Any:
    import pymodi

    handle = pymodi.handle()
    handle.open_file_object(blob)
    sink.meta("image_format", "dmg")
    return handle


class Chain:
    """The parent images of a differencing disk (a QCOW overlay, a differencing VHD, a
    VMDK delta), found next to the child's original file by base name only, as a VMDK
    descriptor's extents are: a parent path cannot make Docket read outside that folder.
    A loop or a chain deeper than ``MAX`` stops the search."""

    MAX = 16

    def __init__(self, sink: Sink, stack: ExitStack) -> None:
        self.sink, self.stack = sink, stack
        self.names: list[str] = []
        self.seen: set[Path] = set()
        if sink.source:
            self.seen.add(Path(sink.source).resolve())

    def open(self, name: str) -> tuple[BinaryIO, Path] | None:
        if not self.sink.source or len(self.names) >= self.MAX:
            return None
        candidate = Path(self.sink.source).parent / PureWindowsPath(name).name
        try:
            real = candidate.resolve()
            if real in self.seen or not candidate.is_file():
                return None
            blob = self.stack.enter_context(open(candidate, "rb"))  # noqa: SIM115 - the stack
        except OSError:
            return None
        self.seen.add(real)
        self.names.append(candidate.name)
        return blob, candidate

    def missing(self, what: str, parent: str) -> ExtractError:
        where = "next to it" if self.sink.source else "(it is inside a container)"
        return ExtractError(
            Code.UNSUPPORTED,
            f"{what}: it holds only the changes to {parent!r}, which is not {where};"
            " ingest it in the same folder as its parent image",
            status="unsupported",
        )


def _vhd(blob: BinaryIO, kind: str, sink: Sink, chain: Chain) -> Any:
    import pyvhdi

    handle = pyvhdi.file()
    handle.open_file_object(blob)
    kinds = {2: "fixed", 3: "dynamic", 4: "differencing"}
    if not chain.names:
        sink.meta("image_format", kind)
        sink.meta("virtual_disk", {"kind": kinds.get(handle.disk_type, str(handle.disk_type))})
    if handle.disk_type == 4:
        name = handle.parent_filename or "its parent image"
        found = chain.open(name)
        if found is None:
            handle.close()
            raise chain.missing("differencing VHD", name)
        parent = _vhd(found[0], kind, sink, chain)
        chain.stack.callback(parent.close)
        handle.set_parent(parent)
    return handle


def _qcow(blob: BinaryIO, sink: Sink, chain: Chain) -> Any:
    import pyqcow

    handle = pyqcow.file()
    handle.open_file_object(blob)
    sink.meta("image_format", "qcow")
    backing = handle.backing_filename
    if backing:
        found = chain.open(backing)
        if found is None:
            handle.close()
            raise chain.missing("QCOW overlay", backing)
        parent = _qcow(found[0], sink, chain)
        chain.stack.callback(parent.close)
        handle.set_parent(parent)
    if handle.is_locked():
        handle.close()
        raise ExtractError(
            Code.ENCRYPTED, "QCOW image encrypted with a password", status="encrypted"
        )
    return handle


def _vmdk(
    blob: BinaryIO, path: Path, sink: Sink, stack: ExitStack, chain: Chain, child: bool = False
) -> Any:
    import pyvmdk

    handle = pyvmdk.handle()
    handle.open_file_object(blob)
    sink.meta("image_format", "vmdk")
    parent = None
    if handle.parent_content_identifier not in (None, 0xFFFFFFFF):
        name = handle.parent_filename or "its parent image"
        found = chain.open(name)
        if found is None:
            handle.close()
            raise chain.missing("VMDK snapshot (delta) disk", name)
        parent = _vmdk(found[0], found[1], sink, stack, chain, child=True)
        stack.callback(parent.close)
    names = [Path(e.filename or "").name for e in handle.extent_descriptors]
    if not names:
        handle.close()
        raise ExtractError(Code.CORRUPT, "the VMDK descriptor lists no extent")
    own = {path.name} if child else {path.name, Path(sink.source or path).name}
    files: list[BinaryIO] = []
    missing: list[str] = []
    folder = Path(sink.source).parent if sink.source else None
    for name in names:
        if name in own or (len(names) == 1 and _embedded(blob)):
            files.append(blob)  # a monolithic image is its own one extent
            continue
        extent = folder / name if folder is not None else None
        if extent is None or not extent.is_file():
            missing.append(name)
            continue
        files.append(stack.enter_context(open(extent, "rb")))  # noqa: SIM115 - as above
    if missing:
        handle.close()
        where = "next to it" if folder is not None else "(the descriptor is inside a container)"
        raise ExtractError(
            Code.TRUNCATED,
            f"VMDK extent files missing {where}: {', '.join(missing[:5])}",
        )
    if not child and (len(names) > 1 or files[0] is not blob):
        sink.meta("image_segments", names)
    if not child:
        sink.meta("virtual_disk", {"extents": len(names)})
    handle.open_extent_data_files_as_file_objects(files)
    if parent is not None:
        handle.set_parent(parent)
    return handle


def _embedded(blob: BinaryIO) -> bool:
    """Whether the blob is a sparse extent carrying its own descriptor."""
    blob.seek(0)
    return _has_descriptor(blob.read(64 * 1024))


def _has_descriptor(head: bytes) -> bool:
    # qemu reserves descriptor space in every extent of a split set and leaves it empty
    # in all but a monolithic image: look at what is there, not at the offset alone.
    if head[:4] != b"KDMV" or len(head) < 44:
        return False
    at = struct.unpack_from("<Q", head, 28)[0] * 512
    if not at:
        return False
    if at + len(_DESCRIPTOR) > len(head):
        return True  # beyond the probe: let the library decide
    return head[at : at + len(_DESCRIPTOR)] == _DESCRIPTOR


def short(exc: BaseException) -> str:
    # libyal chains every layer's message; the first one says what went wrong.
    return str(exc).split(". ")[0][:300]
