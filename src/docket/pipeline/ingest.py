"""The ingest run: acquire sources into the catalogue, hand pending items to an
executor, and write results as they arrive. The coordinator is the only writer of the
catalogue, the full-text index and the custody log.

Resumable by construction: every item is a catalogue row that stays ``pending`` until
its result is committed, with its children, in one transaction. Killing the run at any
moment leaves pending rows that the next run picks up; nothing committed is redone.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from docket import __version__
from docket.acquire.custody import actor, now_iso
from docket.acquire.ids import child_id
from docket.acquire.sources import readable, walk
from docket.case import Case
from docket.enrich import STAGE_ONE, selected
from docket.extract.passwords import DECRYPTED
from docket.model.errors import Code, DiskFull
from docket.model.items import Status
from docket.model.results import Child, ExtractResult
from docket.model.rows import ItemRow
from docket.pipeline.budget import TreeBudget
from docket.pipeline.enrichment import EnrichProgress, enrich_stage, stage_names
from docket.pipeline.known import has_known, known_match, known_result, load_known_hashes
from docket.pipeline.outcome import (
    RunAborted,
    abort_reason,
    is_disk_full,
    retry_encrypted,
    retry_internal,
)
from docket.pipeline.reopen import apply_reopen, reopen_tasks
from docket.pipeline.reuse import copied_result, done_twin
from docket.pipeline.tasks import Task, internal_signature
from docket.store.fulltext import TextFields
from docket.store.refresh import add_items, commit_items, index_pending
from docket.verify.records import item_records

BATCH = 500  # rows per catalogue transaction while walking sources
# The index is committed less often than the catalogue (a tantivy commit writes a new
# segment and costs the single writer tens of ms): every INDEX_SECONDS or INDEX_ITEMS
# items, and always at the end of the stage or of the run. Items committed to the
# catalogue but not yet to the index stay ``indexed = 0``; a killed run indexes them next.
INDEX_SECONDS = 10.0
INDEX_ITEMS = 5000


class Executor(Protocol):
    @property
    def name(self) -> str: ...

    def free(self) -> int: ...
    def busy(self) -> int: ...
    def submit(self, task: Task) -> None: ...
    def poll(self, timeout: float) -> list[tuple[Task, str, Any]]: ...
    def close(self) -> None: ...


@dataclass(slots=True)
class Progress:
    """Counters the CLI shows while a run goes on, and the run's outcome at its end."""

    total: int = 0  # items known so far (grows as containers are opened)
    done: int = 0  # items not pending, earlier runs' included (the bar's position)
    already: int = 0  # of those, items done by earlier runs: not this run's work
    bytes_done: int = 0
    failures: int = 0
    started: float = field(default_factory=time.monotonic)
    by_status: dict[str, int] = field(default_factory=dict)
    executor: str = ""  # e.g. "local:2" or "dask:tcp://… (2 workers, 4 threads)", live
    retried: int = 0  # internal failures of earlier runs, reset to pending for this one
    reopened: int = 0  # items left encrypted before, tried again with --passwords
    not_ok: dict[tuple[str, str, str], int] = field(default_factory=dict)  # this run's
    internal: dict[str, int] = field(default_factory=dict)  # by tasks.internal_signature
    # The enrich stage's bugs by signature: those items stay to do for `docket enrich`.
    enrich_internal: dict[str, int] = field(default_factory=dict)
    status: str = "running"  # then completed | interrupted | aborted | disk-full
    run: int | None = None  # the run's id in the catalogue, once it is recorded
    reason: str | None = None  # why an aborted or disk-full run stopped
    custody_seq: int = 0  # the custody log's head once the run ended
    custody_head: str = ""

    @property
    def processed(self) -> int:
        """Items this run processed (0 when a resumed run found nothing left to do)."""
        return self.done - self.already

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.processed / elapsed if elapsed > 0 else 0.0

    def record(self, status: str, code: str | None, message: str | None) -> None:
        """Count one item this run finished with ``status``."""
        self.done += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        if status == Status.OK:
            return
        self.failures += 1
        key = (status, code or "", message or "")
        self.not_ok[key] = self.not_ok.get(key, 0) + 1
        if code == Code.INTERNAL:
            sig = internal_signature(message or "")
            self.internal[sig] = self.internal.get(sig, 0) + 1


class Reporter(Protocol):
    def update(self, progress: Progress) -> None: ...


def ingest(
    case: Case,
    sources: Sequence[Path],
    *,
    executor: Executor | None = None,
    reporter: Reporter | None = None,
    argv: Sequence[str] | None = None,
    known_hashes: Sequence[Path] = (),
    progress: Progress | None = None,
    enrich: bool = True,
    enrich_progress: EnrichProgress | None = None,
    enrich_reporter: Reporter | None = None,
) -> Progress:
    """Ingest ``sources`` into ``case``; returns the run's counters (or fills
    ``progress``, which the caller keeps however the run ends). ``known_hashes`` files
    (NSRL or one hash per line) are loaded first; matching items are skipped.

    Raises ``RunAborted`` when one internal error keeps recurring and ``DiskFull`` when
    the case's disk fills up; in both cases the run is recorded with its reason and the
    next run resumes.

    Two stages: extraction (store, extract, language; committed and indexed as results
    arrive, so search works as soon as it ends), then, unless ``enrich`` is False, the
    enrich stage (``pipeline.enrichment``; its counters in ``enrich_progress``)."""
    cat = case.catalogue
    if executor is None and not case.settings.get("cluster"):
        from docket.pipeline.pool import prestart

        prestart(case.settings)
    case.lock()
    case.reconcile_custody()
    for hash_file in known_hashes:
        load_known_hashes(cat, Path(hash_file), log=case.log)
    if executor is None:
        try:  # before the run is recorded: an unusable cluster leaves no run behind
            executor = open_executor(case)
        except BaseException:
            case.close()
            raise
    abs_sources = [os.path.abspath(s) for s in sources]
    # Recorded as text: a path that is not UTF-8 gets \xff escapes (it cannot be logged raw).
    named = [readable(s) for s in abs_sources]
    command = [readable(a) for a in (argv if argv is not None else sys.argv)]
    who = actor()
    run_id = cat.start_run(
        started=now_iso(),
        command=command,
        docket=__version__,
        actor=who,
        sources=named,
        executor=None,
        status="running",
    )
    cat.db.execute("UPDATE runs SET executor = ? WHERE id = ?", (executor.name, run_id))
    cat.set_stage_enrichers(stage_names(case))
    case.log(
        "run-start",
        run=run_id,
        actor=who,
        command=command,
        sources=named,
        executor=executor.name,
    )
    progress = progress if progress is not None else Progress()
    progress.run = run_id
    runner = _Runner(case, run_id, executor, progress, reporter)
    progress.status = "interrupted"
    try:
        progress.retried = retry_internal(case, run_id)  # bugs are retried on every run
        if case.settings.passwords:  # locked items are tried again with the new list
            progress.reopened = retry_encrypted(case, run_id)
        for source in abs_sources:
            runner.acquire(Path(source))
        if case.settings.get("key_file") or case.settings.passwords:  # volumes left locked
            runner.reopening = reopen_tasks(cat, abs_sources)
        runner.process()
        if enrich:
            runner.flush()
            runner.index_pending()
            stage = enrich_progress if enrich_progress is not None else EnrichProgress()
            enrich_stage(case, run_id, executor, stage_names(case), stage, enrich_reporter)
            progress.enrich_internal = stage.internal
        from docket.resolve.run import resolve_store

        resolve_store(cat)  # entities from every name so far; analyst decisions re-applied
        runner.index_pending()
        progress.status = "completed"
    except RunAborted as exc:
        progress.status, progress.reason = "aborted", str(exc)
        raise
    except DiskFull as exc:
        progress.status, progress.reason = "disk-full", str(exc)
        raise
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        progress.status, progress.reason = "disk-full", str(exc)
        raise DiskFull(str(exc)) from exc
    finally:
        _end_run(case, run_id, executor, runner, progress)
    return progress


def _end_run(
    case: Case, run_id: int, executor: Executor, runner: _Runner, progress: Progress
) -> None:
    """Write what arrived, log ``run-end`` and record the outcome, however the run ended.
    On a full disk, writes that fail for want of space are given up (the next run marks
    this run interrupted and redoes what was not committed)."""
    cat = case.catalogue
    full = progress.status == "disk-full"
    try:
        executor.close()
        try:
            if not full:
                runner.flush()
                runner.index_pending()
        finally:
            summary = cat.summary()
            case.log(
                "run-end",
                run=run_id,
                status=progress.status,
                items=summary["items"],
                by_status=summary["by_status"],
                **({"reason": progress.reason} if progress.reason else {}),
            )
            cat.finish_run(run_id, now_iso(), progress.status, progress.reason)
    except Exception as exc:
        if not (full and is_disk_full(exc)):
            raise
    finally:
        progress.custody_seq, progress.custody_head = case.custody.seq, case.custody.head
        case.close()


class _Runner:
    def __init__(
        self,
        case: Case,
        run_id: int,
        executor: Executor,
        progress: Progress,
        reporter: Reporter | None,
    ):
        self.case = case
        self.cat = case.catalogue
        self.run_id = run_id
        self.executor = executor
        self.progress = progress
        self.reporter = reporter
        self.in_flight: set[str] = set()
        self.stored: dict[str, Any] = {}  # item id -> BlobInfo from a worker
        self.index_fields: dict[str, TextFields] = {}  # item id -> folded by its worker
        self.results: list[tuple[Task, ExtractResult]] = []
        self.last_commit = time.monotonic()
        self.commit_every = float(case.settings["commit_seconds"])
        self.to_index: list[str] = []
        self.reopening: list[Task] = []  # disk images to read again for a later key
        self.in_writer: list[str] = []  # put into the index writer, not committed yet
        self.last_index = time.monotonic()
        self.index_every = max(self.commit_every, INDEX_SECONDS)
        self.known = has_known(self.cat)  # a known-file hash set is loaded
        self.budget = TreeBudget(self.cat, case.settings)
        names = [e.name for e in selected(case.settings) if e.name in STAGE_ONE]
        self.stage_one = self.cat.enricher_versions(names)

    # -- acquire -----------------------------------------------------------------------
    def acquire(self, source: Path) -> None:
        """Record every file under a source as a pending item (existing ones are kept)."""
        rows: list[ItemRow] = []
        for row in walk(source, exclude=self.case.root):
            rows.append(row)
            if len(rows) >= BATCH:
                self._insert_roots(rows)
                rows = []
        self._insert_roots(rows)
        self.progress.total = self.cat.count()
        self.progress.done = self.progress.already = self.cat.count("status != 'pending'")

    def _insert_roots(self, rows: list[ItemRow]) -> None:
        if not rows:
            return
        self.cat.begin()
        try:
            added = []
            for row in rows:
                row["run_id"] = self.run_id
                if self.cat.add_item(row):
                    added.append(row["id"])
            if added:  # a pending row is under custody from the start (docket verify)
                self.case.log("acquired", run=self.run_id, items=item_records(self.cat.db, added))
            self.cat.commit()
        except BaseException:
            self.cat.rollback()
            raise
        self.case.committed()

    # -- process -----------------------------------------------------------------------
    def process(self) -> None:
        after = 0
        exhausted = False
        while True:
            free = self.executor.free()
            while free and self.reopening:
                task = self.reopening.pop()
                self.in_flight.add(task.item_id)
                self.executor.submit(task)
                free -= 1
            if free and not exhausted:
                rows = self.cat.pending(after, free * 4)
                rows = [r for r in rows if r["id"] not in self.in_flight]
                for row in rows[:free]:
                    self._submit(row)
                    after = row["rowid"]
                if not rows:
                    exhausted = True
            for task, kind, value in self.executor.poll(0.05 if self.executor.busy() else 0):
                if kind == "stored":
                    self.stored[task.item_id] = value
                elif kind == "index":
                    self.index_fields[task.item_id] = value
                elif kind == "done":
                    self.results.append((task, value))
                    self.in_flight.discard(task.item_id)
                elif kind == "disk-full":  # the item stays pending; what arrived is kept
                    self.in_flight.discard(task.item_id)
                    self.stored.pop(task.item_id, None)
                    self.index_fields.pop(task.item_id, None)
                    self._flush_space_permitting()
                    raise DiskFull(value)
            if (
                time.monotonic() - self.last_commit >= self.commit_every
                or len(self.results) >= 2000
            ):
                wrote = bool(self.results)
                self.flush()
                self._check_abort()
                # The results may have added children. (Only if there were any: with
                # commit_seconds 0 this runs on every pass and the run never ended.)
                exhausted = exhausted and not wrote
            if exhausted and not self.executor.busy() and not self.reopening:
                self.flush()
                self._check_abort()
                # Results may have added children after the cursor; look once more.
                if not self.cat.pending(after, 1):
                    self.commit_index()  # the stage's end: everything searchable
                    break
                exhausted = False

    def _check_abort(self) -> None:
        """Stop the run when one internal error keeps recurring (``outcome.abort_reason``)."""
        reason = abort_reason(self.progress.internal, self.progress.processed)
        if reason:
            raise RunAborted(reason)

    def _flush_space_permitting(self) -> None:
        """Commit the results that arrived before the disk filled, if there is room."""
        try:
            self.flush()
        except Exception as exc:
            if not is_disk_full(exc):
                raise

    def _submit(self, row: Any) -> None:
        task = Task(
            item_id=row["id"],
            name=row["name"],
            extension=row["extension"] or "",
            depth=row["depth"],
            sha256=row["sha256"],
            size=row["size"] or 0,
            source=_source_path(row["source"]),
        )
        if self.known and row["sha256"]:
            message = known_match(self.cat, dict(row))
            if message:  # hashes known before extraction (a child): never sent to a worker
                self.results.append((task, known_result(_detected(self.case, row), message)))
                return
        twin = done_twin(self.cat, row["sha256"], row["id"]) if row["sha256"] else None
        if twin is not None:  # the same bytes were read already: copy, don't redo
            self.results.append((task, copied_result(self.cat, twin, task.extension)))
            return
        self.in_flight.add(task.item_id)
        self.executor.submit(task)

    # -- write results -----------------------------------------------------------------
    def flush(self) -> None:
        results, self.results = self.results, []
        if not results:
            self.last_commit = time.monotonic()
            return
        changed: list[str] = []
        self.cat.begin()
        try:
            for task, result in results:
                changed.extend(self._apply(task, result))
            # Each record is read back from the catalogue as it is about to be committed,
            # the way docket verify reads it (docket.verify.records).
            custody = item_records(self.cat.db, changed)
            self.case.log("items", run=self.run_id, items=custody)
            opened = decrypted_records(results)
            if opened:  # which password opened which item: its file and line, not its value
                self.case.log("decrypted", run=self.run_id, items=opened)
            self.cat.commit()
        except BaseException:
            self.cat.rollback()
            raise
        self.case.committed()
        self.to_index.extend(task.item_id for task, _ in results)
        if self.reporter:
            self.progress.executor = self.executor.name  # a cluster's workers come and go
            self.reporter.update(self.progress)
        self.index_batch()
        self.last_commit = time.monotonic()

    def _apply(self, task: Task, result: ExtractResult) -> list[str]:
        """Write one item's result and its children; returns the ids to record in custody."""
        cat = self.cat
        if task.reopen:  # a disk image read again for its encrypted volumes only
            changed, reindex = apply_reopen(
                cat, self.case.log, self.run_id, task, result, self._add_child
            )
            self.to_index.extend(reindex)
            return changed
        item = cat.item(task.item_id)
        if item is None:
            return []
        fields: dict[str, Any] = {}
        info = self.stored.pop(task.item_id, None)
        if info is not None:
            fields.update(sha256=info.sha256, md5=info.md5, sha1=info.sha1, size=info.size)
        sha256 = fields.get("sha256") or item["sha256"]
        if sha256:
            first = cat.first_with_sha(sha256)
            if first and first != item["id"]:
                fields["duplicate_of"] = first
        if self.known and result.code != Code.KNOWN_FILE:
            message = known_match(cat, {**item, **fields})
            if message:  # a top-level file: its hashes were only known once stored
                result = known_result(result, message)
        result = self.budget.admit({**item, **fields}, result)  # the whole tree's budget
        metadata = dict(item.get("metadata") or {})
        metadata.update(result.metadata)
        fields.update(
            type=result.type,
            mime=result.mime,
            ext_mismatch=int(result.ext_mismatch),
            status=str(result.status),
            code=result.code,
            message=result.message,
            extractor=result.extractor,
            lang=result.lang,
            metadata=metadata,
            run_id=self.run_id,
            indexed=0,
        )
        cat.update_item(item["id"], **fields)
        cat.replace_segments(item["id"], result.segments)
        cat.replace_warnings(item["id"], result.warnings)
        records: list[str] = [item["id"]]
        rows: list[ItemRow] = []
        for seq, child in enumerate(result.children):
            parent = item if child.parent is None else rows[child.parent]
            row, added = self._add_child(parent, seq, child)
            rows.append(row)
            records.extend(added)
        cat.replace_mentions(item["id"], result.mentions)
        cat.replace_records(item["id"], result.records)
        cat.replace_relations(item["id"], result.relations)
        # Extracted afresh: the enrich stage starts over on this item, but for the
        # enrichers the worker ran with extraction.
        cat.db.execute("DELETE FROM enrichment WHERE item_id = ?", (item["id"],))
        cat.mark_enriched(item["id"], self.stage_one)
        self.progress.bytes_done += int(fields.get("size") or item.get("size") or 0)
        self.progress.record(str(result.status), result.code, result.message)
        return records

    def _add_child(
        self, parent: Mapping[str, Any], seq: int, child: Child
    ) -> tuple[ItemRow, list[str]]:
        name = child.name or f"part-{seq}"
        row: ItemRow = {
            "id": child_id(parent["id"], seq, name),
            "parent_id": parent["id"],
            "seq": seq,
            "path": [*parent["path"], name],
            "name": name,
            "depth": parent["depth"] + 1,
            "extension": _ext(name),
            "deleted": int(bool(child.deleted)),
            "fs": child.meta,
            "run_id": self.run_id,
            "status": child.status or Status.PENDING,
            "code": child.code,
            "message": child.message,
            "size": 0,
        }
        if child.blob is not None:
            row.update(
                {
                    "sha256": child.blob.sha256,
                    "md5": child.blob.md5,
                    "sha1": child.blob.sha1,
                    "size": child.blob.size,
                }
            )
            first = self.cat.first_with_sha(child.blob.sha256)
            if first:
                row["duplicate_of"] = first
        added = self.cat.add_item(row)
        if not added and child.blob is not None:
            # A member left encrypted by an earlier run, opened now with a password.
            added = self.cat.fill_locked(row)
        if added:
            self.progress.total += 1
            if row["status"] != Status.PENDING:
                self.progress.record(str(row["status"]), row["code"], row["message"])
                self.to_index.append(row["id"])
            return row, [row["id"]]
        return row, []

    # -- index -------------------------------------------------------------------------
    def index_batch(self, force: bool = False) -> None:
        """Put the items just committed into the index writer; commit it when due."""
        ids, self.to_index = self.to_index, []
        self._index(ids)
        due = time.monotonic() - self.last_index >= self.index_every
        if force or due or len(self.in_writer) >= INDEX_ITEMS:
            self.commit_index()

    def commit_index(self) -> None:
        ids, self.in_writer = self.in_writer, []
        commit_items(self.case.catalogue, self.case.fulltext, ids)
        self.last_index = time.monotonic()

    def index_pending(self) -> None:
        self.commit_index()  # what is in the writer first, so it is not put twice
        index_pending(self.case.catalogue, self.case.fulltext)

    def _index(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        fields = {i: f for i in ids if (f := self.index_fields.pop(i, None)) is not None}
        add_items(self.case.catalogue, self.case.fulltext, ids, fields)
        self.in_writer.extend(ids)


def open_executor(case: Case, load: Sequence[str] = ()) -> Executor:
    """The Dask executor when the ``cluster`` setting names a scheduler, else the local
    pool, which runs enrich tasks in batches; ``load``: the enrichers (of a pool that
    runs only the enrich stage) whose models its workers load as they start."""
    if case.settings.get("cluster"):
        from docket.pipeline.cluster import DaskExecutor

        return DaskExecutor(str(case.settings["cluster"]), case.blobs.root, case.settings)
    from functools import partial

    from docket.enrich import load_models
    from docket.pipeline.pool import LocalPool
    from docket.pipeline.tasks import process_many

    warm = partial(load_models, names=tuple(load)) if load else None
    return LocalPool(
        int(case.settings["jobs"]), case.blobs.root, case.settings, many=process_many, warm=warm
    )


def _detected(case: Case, row: Any) -> ExtractResult:
    """The type of a stored item, for one that is skipped without extraction."""
    from docket.extract.detect import detect
    from docket.extract.types import get

    try:
        ftype = get(detect(case.blobs.path(row["sha256"]), row["extension"] or "").type)
    except OSError:
        ftype = get("binary")
    return ExtractResult(ftype.key, ftype.mime, False, Status.SKIPPED)


def decrypted_records(results: Sequence[tuple[Task, ExtractResult]]) -> list[dict[str, Any]]:
    """The custody record of each item (or member) a password opened in ``results``:
    the id, and where the password was — its file's SHA-256 and line — never the value."""
    out: list[dict[str, Any]] = []
    for task, result in results:
        if DECRYPTED in result.metadata:
            out.append({"id": task.item_id, **result.metadata[DECRYPTED]})
        for seq, child in enumerate(result.children):
            if DECRYPTED in child.meta:
                name = child.name or f"part-{seq}"
                parent = task.item_id if child.parent is None else None
                out.append({"parent": task.item_id, "name": name, **child.meta[DECRYPTED]}
                           | ({"id": child_id(parent, seq, name)} if parent else {}))  # fmt: skip
    return out


def _source_path(source: str | bytes | None) -> str | None:
    """A path that is not UTF-8 is stored as its bytes (``acquire.sources.raw_path``)."""
    return os.fsdecode(source) if isinstance(source, bytes) else source


def _ext(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower()[:16] if "." in base.strip(".") else ""
