"""The case folder: catalogue, blob store, full-text index and custody log, together.

``Case`` is the one API over a case, and the one home of the stale-index policy
(``Case.open``): the full-text index is derived from the catalogue, so a case whose index
was built by another Docket version (``INDEX_VERSION``) or has gone missing is rebuilt
when it is opened, never read as an empty index; a damaged one is an error that names
``docket reindex``."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from docket.acquire.blobstore import BlobStore
from docket.acquire.custody import CustodyLog
from docket.model.errors import BrokenCase
from docket.settings import Settings, load_settings
from docket.store.catalogue import Catalogue, CatalogueError
from docket.store.fulltext import INDEX_VERSION, FullText
from docket.store.refresh import index_pending

T = TypeVar("T")

SERVER_PREFIX = "server:"  # --case server:NAME: a case on the newsroom server (docket.newsroom)
PENDING = ".pending-commit"  # JSON {"seq", "head", "lines"}: the log before an uncommitted append


def write_marker(path: Path, marker: dict[str, Any]) -> None:
    """Write the pending-commit marker durably (temp file, fsync, rename, fsync folder),
    so it is on disk before the custody line it announces."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(marker, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_marker(path: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def touch_changed(root: Path) -> None:
    """A server case's catalogue lives in PostgreSQL, not in the folder: this file's time
    tells the desk's caches (``serve.cache``) that it may have changed."""
    try:
        (root / ".changed").touch()
    except OSError:
        pass


class CaseError(BrokenCase):
    """The case folder is missing or broken (exit 3)."""


class Case:
    """Open with ``Case.open(path)``; ``create=True`` makes a new case folder."""

    def __init__(self, root: Path, catalogue: Catalogue, settings: Settings) -> None:
        self.root = root
        self.catalogue = catalogue
        self.blobs = BlobStore(root / "blobs")
        self.settings = settings
        self._fulltext: FullText | None = None
        self._custody: CustodyLog | None = None
        self.readonly = False

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        create: bool = False,
        readonly: bool = False,
        repair_index: bool = True,
        notify: Callable[[str], None] | None = None,
        damaged_ok: bool = False,
        **overrides: Any,
    ) -> Case:
        """Open the case at ``root`` (``create``: make it; ``overrides``: settings).

        The stale-index policy: an index built by another Docket version, or missing
        while the catalogue says items are in it (``index_problem``), is rebuilt from the
        catalogue here, under the writer lock, before the case is returned; ``notify``
        hears why and how many items were indexed. A ``readonly`` open rebuilds through a
        short-lived writable handle, and raises ``CaseError`` (naming ``docket reindex``)
        when it cannot (another process holds the writer lock, a read-only folder). A
        damaged index raises ``CaseError`` when it is first read, and at once on a
        ``create`` open (an ingest), before a run writes anything. ``repair_index=False``
        leaves the index as it is (``docket reindex`` rebuilds it anyway). ``damaged_ok``
        (with ``readonly``) opens a catalogue that lost core tables, for ``docket verify``
        to report; every other open refuses it."""
        root = Path(root)
        db = root / "case.db"
        kind: type[Catalogue] = Catalogue
        if str(root).startswith(SERVER_PREFIX):  # a case on a newsroom server
            from docket.newsroom.config import server_case_root

            root = server_case_root(str(root)[len(SERVER_PREFIX) :])
            db = root / "catalogue.json"
        if not db.exists() and (root / "catalogue.json").exists():
            db = root / "catalogue.json"
        if db.name == "catalogue.json":
            try:
                from docket.store.postgres import PgCatalogue
            except ImportError as exc:  # psycopg comes with the `server` extra
                raise CaseError(
                    f"{root} is a newsroom server case, which needs "
                    f"`pip install 'docket[server]'` ({exc})"
                ) from exc
            kind = PgCatalogue
            if not db.exists():
                raise CaseError(f"no case at {root} (create it with `docket case create`)")
        if not db.exists() and not create:
            raise CaseError(f"no case at {root} (run `docket ingest` to create one)")
        try:
            if create:
                root.mkdir(parents=True, exist_ok=True)
                (root / "blobs").mkdir(exist_ok=True)
            catalogue = kind(
                db, create=create and not readonly, readonly=readonly, damaged_ok=damaged_ok
            )
        except (CatalogueError, OSError) as exc:
            raise CaseError(str(exc)) from exc
        if not readonly and catalogue.get_meta("case_id") is None:
            # A stable identity that seals name (docket seal); a case made before case ids
            # gets one on its first writable open. OR IGNORE: the first writer's id stays.
            catalogue.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('case_id', ?)", (str(uuid.uuid4()),)
            )
        case = cls(root, catalogue, load_settings(root, **overrides))
        case.readonly = readonly
        try:
            if repair_index:
                case._repair_index(notify)
            if create:  # a run writes the index last: find it damaged before, not after
                _ = case.fulltext
        except BaseException:
            case.close()
            raise
        return case

    @property
    def case_id(self) -> str | None:
        """The case's stable id; None for an older case not yet opened for writing."""
        return self.catalogue.get_meta("case_id")

    @property
    def custody(self) -> CustodyLog:
        if self._custody is None:
            self._custody = CustodyLog(self.root / "custody.log")
        return self._custody

    @property
    def index_problem(self) -> str | None:
        """Why the full-text index cannot be read as it is, or None: it was built by a
        Docket with other index fields, or it is gone while the catalogue says items are
        in it (a rebuild interrupted, the folder deleted)."""
        if self.catalogue.get_meta("index_version") not in (None, INDEX_VERSION):
            return "was built by another Docket version"
        if (
            not (self.root / "index" / "meta.json").exists()
            and self.catalogue.db.execute(
                "SELECT 1 FROM items WHERE indexed = 1 LIMIT 1"
            ).fetchone()
        ):
            return "is missing"
        return None

    @property
    def index_stale(self) -> bool:
        """The full-text index must be rebuilt before it is read (``index_problem``)."""
        return self.index_problem is not None

    def _repair_index(self, notify: Callable[[str], None] | None) -> None:
        """The stale-index policy (``open``): rebuild a stale or missing index."""
        why = self.index_problem
        if why is None:
            return
        if notify:
            notify(f"The search index {why}: rebuilding it from the catalogue…")
        if not self.readonly:
            n = self.rebuild_index()
        else:
            try:
                writable = Case.open(self.root, repair_index=False)
                try:
                    n = writable.rebuild_index()
                finally:
                    writable.close()
            except CaseError as exc:
                raise CaseError(
                    f"the search index in {self.root / 'index'} {why} and could not be "
                    f"rebuilt ({exc}); rebuild it with `docket reindex`"
                ) from exc
        if notify:
            notify(f"{n} items indexed")

    def rebuild_index(self) -> int:
        """Throw the full-text index away, damaged or not, and rebuild it from the
        catalogue under the writer lock; returns the number of items indexed. Until it
        is done ``index_version`` is empty (stale), so an interrupted rebuild is redone
        by the next open."""
        self.lock()
        try:
            if self._fulltext is not None:
                self._fulltext.close()
                self._fulltext = None
            cat = self.catalogue
            cat.set_meta("index_version", "")
            FullText.reset(self.root / "index")
            cat.db.execute("UPDATE items SET indexed = 0")
            n = index_pending(cat, self.fulltext)
            cat.set_meta("index_version", INDEX_VERSION)
            return n
        finally:
            self.unlock()

    reset_index = rebuild_index  # the name ``docket reindex`` calls

    @property
    def fulltext(self) -> FullText:
        """The full-text index; ``CaseError`` if it is damaged (never an empty index)."""
        if self._fulltext is None:
            path = self.root / "index"
            try:
                self._fulltext = FullText(path)
            except (ValueError, OSError) as exc:  # tantivy: "Data corrupted: …meta.json…"
                raise CaseError(
                    f"the search index in {path} is damaged ({exc}). It is derived from the "
                    "catalogue: rebuild it with `docket reindex`"
                ) from exc
            if not self.readonly and self.catalogue.get_meta("index_version") is None:
                self.catalogue.set_meta("index_version", INDEX_VERSION)  # a new index
        return self._fulltext

    def log(self, event: str, **fields: Any) -> None:
        """Append a custody event and record the new head in the catalogue.

        The line is fsynced before the catalogue commits, so a crash in between leaves a
        log one line ahead. A pending-commit marker (``PENDING``), written first, says so:
        ``docket verify`` then reports an interrupted run instead of a mismatch. Inside
        the caller's transaction the marker stays until ``committed()``."""
        cat = self.catalogue
        own = not cat.db.in_transaction
        if own:
            cat.begin()  # the line and the head recorded for it: both or neither
        try:
            # Several writers (the desk's threads, a CLI command, an ingest) take turns:
            # the catalogue's write lock first (SQLite's BEGIN IMMEDIATE; on PostgreSQL a
            # lock on ``meta``), then the log's, always in that order.
            hold = getattr(cat, "lock_table", None)
            if hold is not None:
                hold("meta")
            self.custody.refresh(locked=False)
            if own and not getattr(self, "_reconciling", False):
                # Whoever writes first after a crash (an ingest, a seal) names the lines
                # that were never committed before adding its own.
                self.reconcile_custody()
            self._mark_pending()
            head = self.custody.append(event, **fields)
            cat.set_meta("custody_seq", str(self.custody.seq))
            cat.set_meta("custody_head", head)
            if own:
                cat.commit()
        except BaseException:
            if own:
                cat.rollback()
            raise
        if own:
            self.committed()

    def logged(
        self, write: Callable[[], T], event: str, fields: Callable[[T], dict[str, Any]]
    ) -> T:
        """``write()`` to the catalogue and its custody entry (``fields(result)``), in one
        transaction: both or neither. An analyst's change (a finding, a mark) goes through
        here."""
        cat = self.catalogue
        cat.begin()
        try:
            result = write()
            self.log(event, **fields(result))
            cat.commit()
        except BaseException:
            cat.rollback()
            raise
        self.committed()
        return result

    def _mark_pending(self) -> None:
        marker = getattr(self, "_pending", None)
        if marker is None:
            marker = {"seq": self.custody.seq, "head": self.custody.head, "lines": 0}
            self._pending: dict[str, Any] | None = marker
        marker["lines"] += 1
        write_marker(self.root / PENDING, marker)

    def committed(self) -> None:
        """The catalogue committed the custody lines logged since the marker was written."""
        if getattr(self, "_pending", None) is not None:
            self._pending = None
            (self.root / PENDING).unlink(missing_ok=True)

    def reconcile_custody(self) -> None:
        """After a crash the log may hold lines the catalogue never committed: say so,
        naming them (``uncommitted``: first and last line) so that their item records
        no longer count."""
        self.custody.refresh(locked=False)
        recorded = int(self.catalogue.get_meta("custody_seq") or 0)
        if self.custody.seq <= recorded:
            return
        marker = read_marker(self.root / PENDING)
        self._reconciling = True
        try:
            self.log(
                "recovered",
                detail=f"{self.custody.seq - recorded} log line(s) written before an interruption; "
                "their work was not committed and is redone by this run",
                uncommitted=[recorded + 1, self.custody.seq],
                marker=marker is not None and int(marker.get("seq") or 0) <= recorded,
            )
        finally:
            self._reconciling = False

    def lock(self) -> None:
        """Take the case's writer lock; one ingest at a time writes a case."""
        import fcntl

        self._lock: TextIO | None = open(self.root / ".lock", "a+")  # noqa: SIM115 - held until exit
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CaseError(f"{self.root} is being written by another docket process") from exc
        # Runs left 'running' were killed: the lock proves nobody is running them.
        self.catalogue.db.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")

    def unlock(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()  # closing the file releases the flock
            self._lock = None

    def write_settings(self, values: dict[str, Any]) -> None:
        (self.root / "settings.json").write_text(json.dumps(values, indent=2))

    def close(self) -> None:
        if self._fulltext is not None:
            self._fulltext.close()
        self.catalogue.close()
        if not self.readonly and (self.root / "catalogue.json").exists():
            touch_changed(self.root)
