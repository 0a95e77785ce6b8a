"""Split images: find a first segment's siblings, and recognise a later segment so it is
kept (bytes stored) but not read on its own.

A top-level item's extractor sees only its blob; the other segments are found next to
the original file (``Sink.source``). A split set inside an archive has no source on
disk, so only its first segment is read, with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from docket.extract.disk.signature import sniff_disk
from docket.model.detection import Detection

_RAW_EXT = re.compile(r"^\d{3,}$")
_EWF_EXT = re.compile(r"^([EeLs])(x?)(\d\d|[A-Za-z]{2})$")


def image_segment(
    detection: Detection, extension: str, source: str | None
) -> tuple[str, str] | None:
    """``(type, message)`` when this item is a later segment of a split image, else None."""
    if detection.type == "vmdk" and detection.notes.get("layout") == "extent":
        from docket.extract.disk.virtual import extent_descriptor

        desc = extent_descriptor(Path(source)) if source else None
        first = desc.name if desc else "its descriptor (.vmdk)"
        return "vmdk", f"extent of a split VMDK image; read with {first}"
    if detection.type == "disk" and extension.lower() == "vmdk" and source:
        # a flat extent (``-flat.vmdk``, ``-f001.vmdk``) is raw bytes: read it through
        # the descriptor that names it, not once more on its own
        from docket.extract.disk.virtual import extent_descriptor

        desc = extent_descriptor(Path(source))
        if desc is not None:
            return "vmdk", f"flat extent of a VMDK image; read with {desc.name}"
    number = detection.notes.get("segment") if detection.type == "ewf" else None
    if isinstance(number, int) and number > 1:
        first = _ewf_first(source) if source else "its .E01 segment"
        return "ewf", f"segment {number} of a split EWF image; read with the first segment {first}"
    if source is None or not _RAW_EXT.match(extension) or int(extension) < 2:
        return None
    first_path = Path(source).with_suffix("." + "1".zfill(len(extension)))
    try:
        with open(first_path, "rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return None
    if sniff_disk(head) is None:
        return None  # a split archive or a plain numbered file, not a disk
    return "disk", (
        f"segment {int(extension)} of a split raw image; read with the first "
        f"segment {first_path.name}"
    )


def _ewf_first(source: str) -> str:
    path = Path(source)
    m = _EWF_EXT.match(path.suffix[1:])
    if not m:
        return "its .E01 segment"
    return path.with_suffix(f".{m.group(1)}{m.group(2)}01").name


def raw_segments(blob: Path, source: str | None) -> list[Path]:
    """The segments of a raw image: the blob, then ``name.002``, ``.003``… found next to
    the source when the source is ``name.001``."""
    if source is None:
        return [blob]
    src = Path(source)
    ext = src.suffix[1:]
    if not _RAW_EXT.match(ext) or int(ext) != 1:
        return [blob]
    found = [blob]
    n = 2
    while (nxt := src.with_suffix("." + str(n).zfill(len(ext)))).is_file():
        found.append(nxt)
        n += 1
    return found


def ewf_segments(blob: Path, source: str | None) -> list[str]:
    """The segment files of an EWF image, the first being the blob itself."""
    if source is None:
        return [str(blob)]
    import pyewf

    try:
        names = pyewf.glob(source)
    except (OSError, ValueError, TypeError):
        return [str(blob)]
    return [str(blob), *names[1:]] if names else [str(blob)]
