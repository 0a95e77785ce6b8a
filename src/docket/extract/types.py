"""The file types Docket knows: a short key, a MIME type, a family and usual extensions,
with what recognises each one (magic bytes or a sniffing function).

Types are declared where they are read: each extractor lists its own in ``file_types``
(``documents/pdf.py`` declares ``pdf``), the containers in ``containers.py``, the types
Docket recognises but does not read in ``generic.py``. The registry gathers them — built-ins
and plugins alike — and detection and this table are built from that one list.

The key is what ``items.type`` holds and what ``type:`` matches in search; ``type:`` also
matches the family (``type:document``, ``type:archive``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docket.extract.detect import Probe
    from docket.model.detection import Detection

# What a sniffing function returns: a Detection (with notes), True for a plain one of its
# type, or something falsy for "not mine".
Sniff = Callable[["Probe"], "Detection | bool | None"]
# How a container looks inside to find which of its kinds a file is.
Inside = Callable[["Probe", "tuple[FileType, ...]"], "Detection"]


@dataclass(frozen=True, slots=True)
class FileType:
    """One file type and how to recognise it.

    Detection tries every declared type in ``order`` (lower first; declaration order
    breaks ties): ``magic`` is a set of (offset, bytes) any of which identifies the type;
    ``sniff`` looks at the head of the file (or, with ``container``, at the member list of
    a zip or OLE file already recognised). ``inside`` is set on a container type: it opens
    the file and picks one of the kinds declared with ``container`` equal to its key.
    """

    key: str
    mime: str
    family: str
    extensions: tuple[str, ...] = ()
    magic: tuple[tuple[int, bytes], ...] = ()
    sniff: Sniff | None = None
    order: int = 50
    container: str = ""
    inside: Inside | None = None


def table() -> dict[str, FileType]:
    """Every declared type by key (built-ins, then plugins)."""
    from docket.extract.registry import default

    return default().types


def get(key: str) -> FileType:
    types = table()
    return types.get(key, types["binary"])


def families() -> frozenset[str]:
    return frozenset(t.family for t in table().values())


def __getattr__(name: str) -> Any:
    # TYPES and FAMILIES are built from the registry on first use, not at import.
    if name == "TYPES":
        return table()
    if name == "FAMILIES":
        return families()
    raise AttributeError(name)


# Text-based formats are often saved with each other's extensions.
_LENIENT = frozenset({"text", "csv", "xml", "html", "json"})


def extension_matches(key: str, extension: str) -> bool:
    """Whether a file's extension is usual for its detected type.

    No extension, and types with no usual extension, count as a match: only a claim that
    contradicts the content is a mismatch.
    """
    ext = extension.lower()
    types = table()
    ftype = types.get(key)
    if not ext or ftype is None or not ftype.extensions:
        return True
    if ext in ftype.extensions:
        return True
    owner = next((t for t in types.values() if ext in t.extensions), None)
    return owner is None or (key in _LENIENT and owner.key in _LENIENT)
