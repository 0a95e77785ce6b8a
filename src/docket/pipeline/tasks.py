"""The unit of work a worker runs: store an item's bytes if needed, then extract it.

``process`` is a plain function of a ``Task`` and the case paths, so any executor (the
local process pool, a Dask cluster) can run it. It talks back through ``emit``: first
``("stored", BlobInfo)`` when it stored the bytes, then ``("index", TextFields)`` (the
index fields of the item's text, so that the coordinator need not fold it) and
``("done", ExtractResult)``. An enrich task emits ``index`` and ``done`` (what each
enricher produced); ``process_many`` runs several enrich tasks at once (English NER
calls its model once over all of them) and gives each the events it would get alone.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docket.acquire.blobstore import BlobStore
from docket.enrich import STAGE_ONE, Produced, run_enrichers, run_enrichers_many, selected
from docket.extract.run import extract_file
from docket.extract.sink import Limits
from docket.model.errors import Code
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.store.fulltext import text_fields


@dataclass(frozen=True, slots=True)
class Task:
    item_id: str
    name: str
    extension: str
    depth: int
    sha256: str | None  # None: not stored yet, read from ``source``
    size: int
    source: str | None
    # A disk image already done, read again only to open these encrypted volumes (each
    # the names from the image down to it) with a key file given later (pipeline.reopen).
    reopen: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class EnrichTask:
    """An item's text and metadata as the catalogue holds them, and the enrichers to run:
    the enrich stage's unit of work. The worker never opens the catalogue."""

    item_id: str
    names: tuple[str, ...]
    type: str
    mime: str
    status: str
    lang: str | None
    metadata: dict[str, Any]
    segments: tuple[Segment, ...]

    # What an executor asks of a ``Task``: a cluster batches tasks by size, and sends
    # the bytes of a small source file along (an enrich task carries its text instead).
    @property
    def size(self) -> int:
        return sum(len(s.text) for s in self.segments)

    @property
    def sha256(self) -> str | None:
        return None

    @property
    def source(self) -> str | None:
        return None


def _result(task: EnrichTask) -> ExtractResult:
    return ExtractResult(task.type, task.mime, False, task.status, lang=task.lang,
                         metadata=dict(task.metadata), segments=list(task.segments))  # fmt: skip


def enrich_task(task: EnrichTask, settings: Settings) -> dict[str, Produced]:
    """Run ``task.names`` on the item; what each enricher added, by name."""
    return run_enrichers(_result(task), settings, task.names)


Emit = Callable[[str, Any], None]
Events = list[tuple[str, Any]]


def process_many(tasks: Sequence[EnrichTask], settings: Settings) -> list[Events]:
    """The events ``process`` emits for each of ``tasks``, run together (nothing is
    emitted: a caller whose batch raises runs each task alone instead)."""
    produced = run_enrichers_many([_result(t) for t in tasks], settings, [t.names for t in tasks])
    return [
        [("index", text_fields("\n".join(s.text for s in t.segments))), ("done", p)]
        for t, p in zip(tasks, produced, strict=True)
    ]


def process(task: Task | EnrichTask, blobs_root: Path, settings: Settings, emit: Emit) -> None:
    """Store and extract an item (a ``Task``), or enrich one (an ``EnrichTask``)."""
    if isinstance(task, EnrichTask):
        produced = enrich_task(task, settings)
        # The coordinator re-indexes an enriched item (its facets): the text is unchanged,
        # but folding it again is cheaper here than in the single writer.
        emit("index", text_fields("\n".join(s.text for s in task.segments)))
        emit("done", produced)
        return
    blobs = BlobStore(blobs_root)
    sha256 = task.sha256
    size = task.size
    if sha256 is None:
        if task.source is None:
            emit("done", ExtractResult.failure(Code.UNREADABLE, "no bytes and no source"))
            return
        try:
            info = blobs.put_file(Path(task.source))
        except OSError as exc:
            emit(
                "done",
                ExtractResult.failure(
                    Code.UNREADABLE, f"cannot read source file: {exc.strerror or exc}"
                ),
            )
            return
        emit("stored", info)
        sha256, size = info.sha256, info.size
    result = extract_file(
        blobs.path(sha256),
        blobs,
        extension=task.extension,
        name=task.name,
        size=size,
        depth=task.depth,
        max_depth=settings.max_depth,
        limits=Limits.from_settings(settings),
        keepalive=lambda seconds: emit("keepalive", seconds),
        source=task.source,
        settings=settings,
        reopen=task.reopen,
    )
    # The rest of the enrichers run in the enrich stage (docket.pipeline.enrichment).
    run_enrichers(result, settings, [e.name for e in selected(settings) if e.name in STAGE_ONE])
    if result.segments:
        emit("index", text_fields("\n".join(s.text for s in result.segments)))
    emit("done", result)


def internal_failure(exc: BaseException, suffix: str = "") -> ExtractResult:
    """The result for an item that met a bug in Docket (code ``internal``).

    The message is the traceback's last line, the exception, and where it was raised:
    ``KeyError: 'x' (at tasks.py:57 in process)``. The whole traceback is kept as the
    item's warning, for ``docket show``.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    message = traceback.format_exception_only(type(exc), exc)[-1].strip()
    if frames:
        top = frames[-1]
        message += f" (at {Path(top.filename).name}:{top.lineno} in {top.name})"
    result = ExtractResult.failure(Code.INTERNAL, message + suffix)
    result.warnings = [(str(Code.INTERNAL), "".join(traceback.format_exception(exc)).strip())]
    return result


_WHERE = re.compile(r"^(?P<type>[\w.]+)\b.*\(at (?P<where>\S+:\d+ in \S+)\)", re.DOTALL)


def internal_signature(message: str) -> str:
    """What makes two internal failures the same bug: the exception's type and the line
    that raised it (``KeyError at tasks.py:57 in process``), not its text, which often
    names the item. A message in another shape is its own signature."""
    m = _WHERE.match(message or "")
    return f"{m['type']} at {m['where']}" if m else message or ""
