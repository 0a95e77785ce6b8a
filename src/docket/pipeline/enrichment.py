"""The enrich stage: the second pass over a case, after extraction has committed and
indexed every item (search works from then on). Dates, patterns, names, tables and
letters run here, in workers, on an item's text as the catalogue holds it; the
coordinator writes what each enricher produced, marks the item done for it, logs the
item's new custody record and re-indexes it, so facets fill in as results land.

Resumable by construction: an item is done for an enricher when the ``enrichment`` table
says so at the enricher's current version (``store.stages``), written in the same
transaction as its results. Killing the stage leaves items that the next run (``docket
ingest`` or ``docket enrich``) picks up; a finished item is never redone.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from docket import __version__
from docket.acquire.custody import actor, now_iso
from docket.case import Case
from docket.enrich import ENRICHERS, Enricher, Produced, selected
from docket.model.errors import Code, DiskFull
from docket.model.items import Segment
from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.pipeline.tasks import EnrichTask, internal_signature
from docket.resolve.run import prepare
from docket.store.fulltext import TextFields
from docket.store.refresh import commit_items, facets, index_pending
from docket.verify.records import item_records

_ORDER = {e.name: n for n, e in enumerate(ENRICHERS)}
_NAMES = frozenset({"person", "org", "place"})
_BY_NAME = {e.name: e for e in ENRICHERS}


@dataclass(slots=True)
class EnrichProgress:
    """Counters the CLI shows while the stage goes on (the same names as ingest's)."""

    total: int = 0  # finished items: the stage's work
    done: int = 0  # of those, enriched (earlier runs' included)
    already: int = 0
    failures: int = 0  # items an enricher could not finish (a warning says why)
    # Bugs in Docket by signature (exception type and where): printed apart, and the items
    # stay to do, so the next `docket enrich` after the fix runs them again.
    internal: dict[str, int] = field(default_factory=dict)
    bytes_done: int = 0
    executor: str = ""
    names: tuple[str, ...] = ()
    started: float = field(default_factory=time.monotonic)
    status: str = "running"
    run: int | None = None

    @property
    def processed(self) -> int:
        return self.done - self.already

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.processed / elapsed if elapsed > 0 else 0.0


def stage_names(case: Case) -> list[str]:
    """The enrichers the enrich stage runs for this case's settings."""
    return [e.name for e in selected(case.settings)]


def enrich_stage(
    case: Case,
    run_id: int,
    executor: Any,
    names: Sequence[str],
    progress: EnrichProgress,
    reporter: Any = None,
) -> EnrichProgress:
    """Enrich every finished item not yet done for ``names``; commits as it goes."""
    _Pass(case, run_id, executor, names, progress, reporter).run()
    return progress


def enrich(
    case: Case,
    only: Sequence[str] = (),
    *,
    executor: Any = None,
    reporter: Any = None,
    argv: Sequence[str] | None = None,
    progress: EnrichProgress | None = None,
) -> EnrichProgress:
    """``docket enrich``: run the enrich stage as a recorded run, then resolution.
    ``only``: re-run those enrichers on every item (their earlier output is replaced;
    other enrichers' is kept); without it, finish what earlier runs left."""
    from docket.pipeline.ingest import open_executor
    from docket.resolve.run import resolve_store

    cat = case.catalogue
    if executor is None and not case.settings.get("cluster"):
        from docket.pipeline.pool import prestart

        prestart(case.settings)
    case.lock()
    case.reconcile_custody()
    names = list(only) if only else stage_names(case)
    if executor is None:
        try:
            executor = open_executor(case, load=names)
        except BaseException:
            case.close()
            raise
    command = list(argv if argv is not None else sys.argv)
    who = actor()
    cat.begin()
    if only:
        cat.bump_enrichers(only)  # every item is to do again for these, and resumably so
    # What progress counts against from now on: this run's enrichers (an ingest with
    # another ``enrich`` setting recorded its own), with those an --only run adds.
    recorded = [] if not only else cat.stage_enrichers() or []
    cat.set_stage_enrichers(sorted({*recorded, *names}, key=_ORDER.__getitem__))
    run_id = cat.start_run(
        started=now_iso(), command=command, docket=__version__, actor=who,
        sources=[], executor=executor.name, status="running",
    )  # fmt: skip
    case.log("run-start", run=run_id, actor=who, command=command, sources=[],
             executor=executor.name, stage="enrich", enrichers=names)  # fmt: skip
    cat.commit()
    case.committed()
    progress = progress if progress is not None else EnrichProgress()
    progress.run = run_id
    progress.status = "interrupted"
    try:
        enrich_stage(case, run_id, executor, names, progress, reporter)
        resolve_store(cat)
        index_pending(cat, case.fulltext)
        progress.status = "completed"
    finally:
        try:
            executor.close()
            summary = cat.summary()
            case.log("run-end", run=run_id, status=progress.status, items=summary["items"],
                     by_status=summary["by_status"])  # fmt: skip
            cat.finish_run(run_id, now_iso(), progress.status)
        finally:
            case.close()
    return progress


class _Pass:
    def __init__(
        self,
        case: Case,
        run_id: int,
        executor: Any,
        names: Sequence[str],
        progress: EnrichProgress,
        reporter: Any,
    ) -> None:
        self.case = case
        self.cat = case.catalogue
        self.run_id = run_id
        self.executor = executor
        self.versions = self.cat.enricher_versions(sorted(set(names), key=_ORDER.__getitem__))
        self.progress = progress
        self.reporter = reporter
        self.in_flight: set[str] = set()
        self.results: list[tuple[str, tuple[str, ...], Any]] = []
        self.index_fields: dict[str, TextFields] = {}  # item id -> folded by its worker
        self.texts: dict[str, str] = {}  # item id -> the text sent to its worker
        self.commit_every = float(case.settings["commit_seconds"])
        self.last_commit = time.monotonic()
        # The index is committed as the extraction stage commits it (each commit costs
        # the single writer tens of ms); what it holds meanwhile stays ``indexed = 0``.
        from docket.pipeline.ingest import INDEX_ITEMS, INDEX_SECONDS

        self.index_every = max(self.commit_every, INDEX_SECONDS)
        self.index_items = INDEX_ITEMS
        self.in_writer: list[str] = []  # put into the index writer, not committed yet
        self.last_index = time.monotonic()
        self.names: list[tuple[str, str]] = []  # (kind, text) of new names, for resolution

    def run(self) -> None:
        p = self.progress
        p.names = tuple(self.versions)
        p.executor = self.executor.name
        p.total = self.cat.count("status != 'pending'")
        p.done = p.already = p.total - self.cat.enrich_todo_count(self.versions)
        if self.reporter:
            self.reporter.update(p)
        after = 0
        exhausted = not self.versions
        while True:
            free = self.executor.free()
            if free and not exhausted:
                rows = self.cat.enrich_todo(self.versions, after, free * 4)
                if not rows:
                    exhausted = True
                sent = 0
                for rowid, item_id, todo in rows:
                    if sent >= free:
                        break
                    after = rowid
                    if item_id in self.in_flight:
                        continue
                    task = self._task(item_id, tuple(todo))
                    if task is None:  # no text: nothing to find, done at once
                        self.results.append((item_id, tuple(todo), {}))
                        continue
                    self.in_flight.add(item_id)
                    self.executor.submit(task)
                    sent += 1
            for task, kind, value in self.executor.poll(0.05 if self.executor.busy() else 0):
                if kind == "index":
                    self.index_fields[task.item_id] = value
                elif kind == "done":
                    self.in_flight.discard(task.item_id)
                    self.results.append((task.item_id, task.names, value))
                elif kind == "disk-full":  # the item stays to do; what arrived is kept
                    self.in_flight.discard(task.item_id)
                    self.flush()
                    raise DiskFull(value)
            if time.monotonic() - self.last_commit >= self.commit_every or len(self.results) >= 500:
                self.flush()
            if exhausted and not self.executor.busy():
                self.flush()
                self.commit_index()  # the stage's end: every facet searchable
                break

    def _task(self, item_id: str, names: tuple[str, ...]) -> EnrichTask | None:
        item = self.cat.item(item_id)
        if item is None:
            return None
        segments = tuple(
            Segment(s["text"], page=s["page"], sheet=s["sheet"], row=s["row"], part=s["part"])
            for s in self.cat.segments(item_id)
        )
        if not segments:
            return None
        self.texts[item_id] = "\n".join(s.text for s in segments)
        return EnrichTask(item_id, names, item["type"] or "binary", item["mime"] or "",
                          item["status"], item["lang"], item["metadata"] or {}, segments)  # fmt: skip

    def flush(self) -> None:
        results, self.results = self.results, []
        self.last_commit = time.monotonic()
        if not results:
            return
        changed: dict[str, dict[str, Any]] = {}  # item id -> its row as written, with facets
        self.cat.begin()
        try:
            for item_id, names, value in results:
                item = self._apply(item_id, names, value)
                if item is not None:
                    changed[item_id] = item
            if changed:
                self.case.log("items", run=self.run_id, items=item_records(self.cat.db, changed))
            self.cat.commit()
        except BaseException:
            self.cat.rollback()
            raise
        self.case.committed()
        # Re-indexed for the facets from the new mentions: the row and mentions as just
        # written and the text as sent, not read back; the text's fields from its worker.
        ft = self.case.fulltext
        for item_id, _, _ in results:
            fields = self.index_fields.pop(item_id, None)
            text = self.texts.pop(item_id, None)
            item = changed.get(item_id)
            if item is not None:
                ft.put(item, text if text is not None else self.cat.text(item_id), fields)
                self.in_writer.append(item_id)
        due = time.monotonic() - self.last_index >= self.index_every
        if due or len(self.in_writer) >= self.index_items:
            self.commit_index()
        if self.reporter:
            self.reporter.update(self.progress)
        arrived, self.names = self.names, []
        prepare(arrived)  # resolution's parsing, ahead of the run that follows the stage

    def commit_index(self) -> None:
        ids, self.in_writer = self.in_writer, []
        commit_items(self.cat, self.case.fulltext, ids)
        self.last_index = time.monotonic()

    def _apply(self, item_id: str, names: tuple[str, ...], value: Any) -> dict[str, Any] | None:
        """Write what ``names`` produced for one item and mark it done for them; the
        item's row as written, with its index ``facets``, when its record (its derived
        data or metadata) may have changed."""
        cat = self.cat
        self.progress.done += 1
        versions = {n: self.versions[n] for n in names}
        if isinstance(value, ExtractResult):  # a bug, or the worker timed out, ran out of memory
            self.progress.failures += 1
            warnings = [(value.code or "internal", f"enricher {n} not run: {value.message}", n)
                        for n in names]  # fmt: skip
            cat.replace_enricher_warnings(item_id, names, warnings)
            if value.code == Code.INTERNAL:  # not done: retried once the bug is fixed
                key = internal_signature(value.message or "")
                self.progress.internal[key] = self.progress.internal.get(key, 0) + 1
            else:
                cat.mark_enriched(item_id, versions)
            return None
        produced: dict[str, Produced] = value
        if not produced:
            cat.mark_enriched(item_id, versions)
            return None
        item = cat.item(item_id)
        if item is None:
            return None
        kept = [(m, e) for m, e in cat.tagged_mentions(item_id) if e not in names]
        new: list[tuple[Mention, str | None]] = [
            (m, n) for n in names for m in produced[n].mentions
        ]
        self.names.extend((m.kind, m.text or m.value) for m, _ in new if m.kind in _NAMES)
        # In chain order, as a single pass wrote them (mention ids follow that order).
        mentions = sorted(kept + new, key=lambda t: _ORDER.get(t[1] or "", -1))
        cat.replace_mentions(item_id, mentions)
        if any(_assigns(n, "records") for n in names):
            cat.replace_records(item_id, [r for n in names for r in produced[n].records])
        if any(_assigns(n, "relations") for n in names):
            cat.replace_relations(item_id, [x for n in names for x in produced[n].relations])
        cat.replace_enricher_warnings(
            item_id, names, [(c, m, n) for n in names for c, m in produced[n].warnings]
        )
        fields: dict[str, Any] = {"indexed": 0}
        metadata = dict(item["metadata"] or {})
        for n in names:
            for key in _BY_NAME[n].assigns:
                if key.startswith("metadata."):
                    metadata.pop(key.split(".", 1)[1], None)
            metadata.update(produced[n].metadata)
        if metadata != (item["metadata"] or {}):
            fields["metadata"] = metadata
        if "language" in produced:
            fields["lang"] = produced["language"].lang
        cat.update_item(item_id, **fields)
        cat.mark_enriched(item_id, versions)
        item.update(fields)
        item["facets"] = facets({"kind": m.kind, "value": m.value} for m, _ in mentions)
        return item


def _assigns(name: str, what: str) -> bool:
    enricher: Enricher = _BY_NAME[name]
    return any(a == what or a.startswith(what + ".") for a in enricher.assigns)
