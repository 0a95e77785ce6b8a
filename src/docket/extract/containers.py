"""The two container formats whose kind is decided by looking inside: zip (OOXML, ODF,
EPUB, or a plain archive) and OLE2 (DOC, XLS, PPT, MSG, or a generic compound file).

A kind declares ``container="zip"`` or ``"ole"`` and a ``sniff`` that reads the member
names (``Probe.members``; for zip also ``Probe.mimetype``); the first kind, in declared
order, that accepts them wins. A plain zip is read by ``packages/zip.py``, a generic OLE
file by ``packages/ole.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from docket.extract.detect import Probe, first_kind, zip_members
from docket.extract.types import FileType
from docket.model.detection import Detection

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted OOXML package hides which kind it is; the extension is all we have.
_ENCRYPTED_BY_EXTENSION = {
    "docx": "docx",
    "docm": "docx",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "pptx": "pptx",
    "pptm": "pptx",
}


def zip_kind(probe: Probe, kinds: tuple[FileType, ...]) -> Detection:
    found = zip_members(probe.path)
    if found is None:
        return Detection("zip")
    names, mimetype = found
    return first_kind(probe, kinds, names, mimetype=mimetype) or Detection("zip")


def ole_kind(probe: Probe, kinds: tuple[FileType, ...]) -> Detection:
    import olefile

    try:
        with olefile.OleFileIO(str(probe.path)) as ole:
            streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
    except Exception:  # olefile raises many types on damaged files
        return Detection("ole", {"damaged": True})
    top = frozenset(s.split("/")[0] for s in streams)
    # OLE names are case-insensitive: some writers store "ENCRYPTEDPACKAGE".
    if "encryptedpackage" in {t.lower() for t in top}:
        return Detection(_ENCRYPTED_BY_EXTENSION.get(probe.ext, "ole"), {"encrypted": True})
    return first_kind(probe, kinds, top) or Detection("ole")


def ooxml(folder: str) -> Callable[[Probe], bool]:
    """A sniff for the OOXML kind whose main part lives under ``folder`` ("word/")."""

    def sniff(probe: Probe) -> bool:
        names = probe.members
        package = "[Content_Types].xml" in names or any(n.startswith("_rels/") for n in names)
        return package and any(n.startswith(folder) for n in names)

    return sniff


def odf(marker: str) -> Callable[[Probe], bool]:
    """A sniff for the ODF (or EPUB) kind whose mimetype member contains ``marker``."""
    return lambda probe: marker in probe.mimetype


def ole_storage(*names: str) -> Callable[[Probe], bool]:
    """A sniff for the OLE kind holding any of these top-level streams or storages."""
    return lambda probe: any(name in probe.members for name in names)


ZIP = FileType(
    "zip",
    "application/zip",
    "archive",
    ("zip", "jar", "apk", "kmz"),
    magic=((0, b"PK\x03\x04"), (0, b"PK\x05\x06"), (0, b"PK\x07\x08")),
    order=2,
    inside=zip_kind,
)
OLE = FileType(
    "ole",
    "application/x-ole-storage",
    "data",
    (),
    magic=((0, _OLE_MAGIC),),
    order=3,
    inside=ole_kind,
)
