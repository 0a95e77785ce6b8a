"""Open a disk image as a ``pytsk3.Img_Info``: raw (one file or a split set) directly or
through a concatenating adapter, EWF through ``pyewf``, virtual-machine disks (VHD, VHDX,
VMDK, QCOW2) through their libyal library (``virtual.py``). For EWF the hashes stored at
acquisition are checked against the media as read now."""

from __future__ import annotations

import bisect
import hashlib
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytsk3

from docket.extract.disk.layers import HandleImage
from docket.extract.disk.segments import ewf_segments, raw_segments
from docket.extract.disk.virtual import VIRTUAL, open_virtual
from docket.extract.sink import Sink
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

CHUNK = 4 * 1024 * 1024
KEEPALIVE_BYTES = 256 * 1024 * 1024  # ask for more time after this much read


class EwfImage(pytsk3.Img_Info):  # type: ignore[misc]
    """pytsk3 reads through pyewf: TSK calls ``read`` and ``get_size``."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self.bad: list[tuple[int, str]] = []  # (offset, reason) of reads that failed
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        self._handle.close()

    def read(self, offset: int, size: int) -> bytes:
        # A missing or truncated segment: a short read makes TSK fail only the file or
        # structure that needed these bytes; never invent zeros for them.
        try:
            self._handle.seek(offset)
            return self._handle.read(size)
        except (OSError, RuntimeError) as exc:
            self.bad.append((offset, _short(exc)))
            return b""

    def get_size(self) -> int:
        return int(self._handle.get_media_size())


class SplitRawImage(pytsk3.Img_Info):  # type: ignore[misc]
    """A raw image in several files (``drive.001``, ``.002``…) read as one."""

    def __init__(self, paths: list[Path]) -> None:
        self._files = [open(p, "rb") for p in paths]  # noqa: SIM115 - closed in close()
        self._starts: list[int] = []
        total = 0
        for p in paths:
            self._starts.append(total)
            total += p.stat().st_size
        self._size = total
        super().__init__(url="", type=pytsk3.TSK_IMG_TYPE_EXTERNAL)

    def close(self) -> None:
        for f in self._files:
            f.close()

    def read(self, offset: int, size: int) -> bytes:
        out = bytearray()
        while size > 0 and offset < self._size:
            i = bisect.bisect_right(self._starts, offset) - 1
            f = self._files[i]
            f.seek(offset - self._starts[i])
            data = f.read(size)
            if not data:
                break
            out += data
            offset += len(data)
            size -= len(data)
        return bytes(out)

    def get_size(self) -> int:
        return self._size


def open_image(path: Path, detection: Detection, sink: Sink) -> pytsk3.Img_Info:
    """The image at ``path`` (with its other segments, found next to ``sink.source``)."""
    if detection.type == "ewf":
        return _open_ewf(path, sink)
    if detection.type in VIRTUAL:
        stack = ExitStack()
        try:
            handle = open_virtual(path, detection, sink, stack)
            media = int(handle.get_media_size())
        except BaseException:
            stack.close()
            raise
        sink.meta("media_size", media)
        return VirtualImage(handle, stack, media)
    segments = raw_segments(path, sink.source)
    if len(segments) > 1:
        sink.meta("image_segments", [p.name for p in segments[1:]])
        return SplitRawImage(segments)
    try:
        return pytsk3.Img_Info(str(path))
    except OSError as exc:
        raise ExtractError(Code.UNREADABLE, f"cannot open the image: {exc}") from exc


class VirtualImage(HandleImage):
    """A virtual-machine disk: closing it closes the handle and every file it opened."""

    def __init__(self, handle: Any, stack: ExitStack, size: int) -> None:
        self._stack = stack
        super().__init__(handle, size)

    def close(self) -> None:
        self._stack.close()


def _open_ewf(path: Path, sink: Sink) -> EwfImage:
    import pyewf

    names = ewf_segments(path, sink.source)
    handle = pyewf.handle()
    try:
        handle.open(names)
    except OSError as exc:
        raise ExtractError(Code.CORRUPT, f"cannot open the EWF image: {_short(exc)}") from exc
    if len(names) > 1:
        sink.meta("image_segments", [Path(n).name for n in names[1:]])
    try:
        headers = handle.get_header_values()
    except OSError:
        headers = {}
    sink.meta("ewf_headers", {k: v for k, v in headers.items() if v})
    sink.meta("media_size", handle.get_media_size())
    verify_ewf(handle, sink)
    return EwfImage(handle)


def verify_ewf(handle: Any, sink: Sink) -> None:
    """Re-hash the media and compare with the MD5/SHA-1 stored at acquisition.

    A separate sequential pass: file reads jump around the image, so hashing them would
    not cover every byte. Records ``ewf_verification`` metadata; a mismatch or an
    unreadable stretch is a warning, and the files are still read."""
    try:
        stored = {k.lower(): v.lower() for k, v in handle.get_hash_values().items() if v}
    except OSError:
        stored = {}
    stored = {
        k.replace("-", ""): v for k, v in stored.items() if k.replace("-", "") in ("md5", "sha1")
    }
    if not stored:
        sink.meta("ewf_verification", {"status": "no stored hash"})
        return
    hashers = {k: hashlib.new(k) for k in stored}
    size = int(handle.get_media_size())
    offset, since = 0, 0
    handle.seek(0)
    try:
        while offset < size:
            data = handle.read(min(CHUNK, size - offset))
            if not data:
                raise OSError(f"no data at offset {offset}")
            for h in hashers.values():
                h.update(data)
            offset += len(data)
            since += len(data)
            if since >= KEEPALIVE_BYTES:
                sink.keepalive(120)
                since = 0
    except (OSError, RuntimeError) as exc:
        sink.meta("ewf_verification", {"status": "unreadable", "at": offset, "stored": stored})
        sink.warn(Code.TRUNCATED, f"EWF media unreadable at offset {offset}: {_short(exc)}")
        return
    computed = {k: h.hexdigest() for k, h in hashers.items()}
    ok = computed == stored
    sink.meta(
        "ewf_verification",
        {"status": "verified" if ok else "mismatch", "stored": stored, "computed": computed},
    )
    if not ok:
        bad = ", ".join(k.upper() for k in stored if stored[k] != computed[k])
        sink.warn(Code.CORRUPT, f"EWF {bad} stored at acquisition does not match the media")


def _short(exc: BaseException) -> str:
    # libewf chains every layer's message; the first one says what went wrong.
    return str(exc).split(". ")[0][:300]
