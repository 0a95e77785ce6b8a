"""The narrow sink extractors write to: text segments, metadata, children and warnings.

Children are streamed straight into the case's blob store (content-addressed, so no
member name ever becomes a file-system path) under the container safety limits:
member count, expanded bytes, expansion ratio. A breach raises ``LimitExceeded``, which
extractors must let propagate; what was stored before it is kept.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from docket.acquire.blobstore import BlobStore
from docket.model.errors import Code, LimitExceeded
from docket.model.items import Segment
from docket.model.results import Child
from docket.settings import DEFAULTS, MB, Settings

# A container may always expand to this much, whatever its ratio: small files of
# repetitive text compress very well without being bombs.
RATIO_FLOOR = 64 * MB


@dataclass(slots=True)
class Limits:
    """The per-container caps the sink enforces, in bytes and counts; the defaults are
    the settings' (which give sizes in MiB)."""

    max_members: int = DEFAULTS.max_members
    max_expanded: int = DEFAULTS.max_expanded_mb * MB
    max_ratio: float = DEFAULTS.max_ratio
    max_text: int = DEFAULTS.max_text_mb * MB
    max_image_pixels: int = DEFAULTS.max_image_pixels

    @classmethod
    def from_settings(cls, s: Settings = DEFAULTS) -> Limits:
        return cls(
            max_members=s.max_members,
            max_expanded=s.max_expanded_mb * MB,
            max_ratio=s.max_ratio,
            max_text=s.max_text_mb * MB,
            max_image_pixels=s.max_image_pixels,
        )


def is_unsafe_name(name: str) -> bool:
    """True when a member name is absolute or climbs out of its container (zip slip)."""
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        return True
    return ".." in posixpath.normpath(clean).split("/") or clean.startswith("../")


class Sink:
    """Collects what one extraction produces. Never touches the catalogue or index."""

    def __init__(
        self,
        blobs: BlobStore,
        limits: Limits | None = None,
        container_size: int = 0,
        name: str = "",
        source: str | None = None,
        settings: Settings = DEFAULTS,
    ):
        self.blobs = blobs
        # The run's settings (docket.settings), read-only: extractors with options (OCR
        # on/off and its languages) read them here; empty means the defaults.
        self.settings = settings
        # The original file a top-level item was read from, when known: a split disk
        # image finds its other segments next to it. None for children.
        self.source = source
        # The item's own file name, when known: a compressed stream names its one child
        # after it (``report.txt.gz`` -> ``report.txt``).
        self.name = name
        self.limits = limits or Limits()
        self.container_size = container_size
        self.segments: list[Segment] = []
        self.metadata: dict[str, Any] = {}
        self.children: list[Child] = []
        self.warnings: list[tuple[str, str]] = []
        self.text_chars = 0
        self.expanded = 0
        self._text_cut = False
        self._keepalive: Callable[[float], None] | None = None
        # A disk image read again only to open these encrypted volumes (the names from
        # the image down to each); empty: read everything (docket.pipeline.reopen).
        self.reopen: tuple[tuple[str, ...], ...] = ()

    def keepalive(self, seconds: float) -> None:
        """Ask for ``seconds`` more before the worker's timeout. For extractors that make
        steady progress through something huge (a disk image), called as they go; a hung
        parser never calls it, so the timeout still catches it."""
        if self._keepalive is not None:
            self._keepalive(seconds)

    # -- text and metadata -------------------------------------------------------------
    def text(
        self,
        text: str,
        *,
        page: int | None = None,
        sheet: str | None = None,
        row: int | None = None,
        part: str | None = None,
    ) -> None:
        """Add a segment of text with its position. Empty text is ignored."""
        if not text or not text.strip():
            return
        room = self.limits.max_text - self.text_chars
        if room <= 0:
            if not self._text_cut:
                self._text_cut = True
                self.warn(Code.TOO_LARGE, f"text cut at {self.limits.max_text} characters")
            return
        text = text[:room]
        self.text_chars += len(text)
        self.segments.append(Segment(text, page=page, sheet=sheet, row=row, part=part))

    def meta(self, key: str, value: Any) -> None:
        """Record one metadata field; empty values are dropped."""
        if value is None or value == "" or value == [] or value == {}:
            return
        self.metadata[key] = value

    def warn(self, code: Code | str, message: str) -> None:
        """A part failed but the rest was read: the item ends ``partial``."""
        self.warnings.append((str(code), message))

    # -- children ----------------------------------------------------------------------
    def _check_count(self) -> None:
        if len(self.children) >= self.limits.max_members:
            raise LimitExceeded(
                Code.TOO_MANY_MEMBERS,
                f"more than {self.limits.max_members} members; rest not expanded",
            )

    def _budget(self) -> int:
        by_ratio = max(RATIO_FLOOR, int(self.container_size * self.limits.max_ratio))
        return min(self.limits.max_expanded, by_ratio) - self.expanded

    def child(
        self,
        name: str,
        data: bytes | BinaryIO | Iterable[bytes],
        *,
        meta: dict[str, Any] | None = None,
        deleted: bool = False,
        parent: Child | None = None,
    ) -> Child:
        """Store a child's bytes (bytes, a readable stream, or an iterable of chunks).

        ``parent`` nests the child under an earlier child of the same extraction (a file
        under the partition it was found in), so lineage shows every level."""
        self._check_count()
        if is_unsafe_name(name):
            self.warn(
                Code.PATH_TRAVERSAL,
                f"member name leaves the container: {name!r} (stored by hash only)",
            )
        budget = self._budget()
        if isinstance(data, bytes | bytearray):
            data = io.BytesIO(data)
        if hasattr(data, "read"):
            stream = data

            def chunks() -> Iterable[bytes]:
                while chunk := stream.read(1024 * 1024):  # type: ignore[union-attr]
                    yield chunk

            source: Iterable[bytes] = chunks()
        else:
            source = data  # type: ignore[assignment]
        counted = 0

        def limited() -> Iterable[bytes]:
            nonlocal counted
            for chunk in source:
                counted += len(chunk)
                if counted > budget:
                    raise LimitExceeded(
                        Code.ZIP_BOMB,
                        f"expansion stopped at {name!r}: over {self._describe_budget()}",
                    )
                yield chunk

        try:
            info = self.blobs.put_chunks(limited())
        finally:
            self.expanded += counted
        return self._append(
            Child(
                name=name,
                blob=info,
                meta=dict(meta or {}),
                deleted=deleted,
                parent=self._index(parent),
            )
        )

    def _index(self, parent: Child | None) -> int | None:
        if parent is None:
            return None
        if not 0 <= parent.index < len(self.children) or self.children[parent.index] is not parent:
            raise ValueError("parent must be a child already added to this sink")
        return parent.index

    def _append(self, child: Child) -> Child:
        child.index = len(self.children)
        self.children.append(child)
        return child

    def child_error(
        self,
        name: str,
        code: Code | str,
        message: str,
        *,
        status: str = "failed",
        meta: dict[str, Any] | None = None,
        deleted: bool = False,
        parent: Child | None = None,
    ) -> Child:
        """Record a child whose bytes could not be read, or that has none of its own (a
        partition, a folder): still an item, with its status and reason."""
        self._check_count()
        return self._append(
            Child(
                name,
                None,
                dict(meta or {}),
                deleted=deleted,
                parent=self._index(parent),
                status=status,
                code=str(code) if code else None,
                message=message,
            )
        )

    def _describe_budget(self) -> str:
        ratio_cap = int(self.container_size * self.limits.max_ratio)
        if self.limits.max_expanded <= max(RATIO_FLOOR, ratio_cap):
            return f"{self.limits.max_expanded} bytes expanded"
        return f"ratio {self.limits.max_ratio:g} of a {self.container_size}-byte container"
