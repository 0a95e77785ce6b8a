"""Types Docket recognises but has no extractor for: their bytes are kept, their type
recorded (``unsupported``), and ``type:`` finds them. A plugin that reads one of them
declares its own type instead. (Audio and video are read for their metadata by
``media/av.py``.)"""

from __future__ import annotations

from docket.extract.detect import Probe
from docket.extract.types import FileType


def _metafile(probe: Probe) -> bool:
    head = probe.head
    if head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF":
        return True
    # A placeable WMF, or a plain one (in memory or on disk).
    return head[:4] == b"\xd7\xcd\xc6\x9a" or head[:6] in (
        b"\x01\x00\x09\x00\x00\x03",
        b"\x02\x00\x09\x00\x00\x03",
    )


TYPES = (
    FileType(
        "metafile", "image/emf", "image", ("emf", "wmf", "emz", "wmz"), sniff=_metafile, order=20
    ),
    FileType(
        "executable",
        "application/x-executable",
        "program",
        ("exe", "dll", "so", "elf", "sys"),
        magic=((0, b"\x7fELF"), (0, b"MZ")),
        order=10,
    ),
    FileType(
        "sqlite",
        "application/vnd.sqlite3",
        "data",
        ("sqlite", "db", "sqlite3"),
        magic=((0, b"SQLite format 3\x00"),),
        order=10,
    ),
    FileType("empty", "application/x-empty", "empty"),  # no bytes at all: detect() says so
    FileType("binary", "application/octet-stream", "unknown", ("bin", "dat")),  # nothing else fit
)
