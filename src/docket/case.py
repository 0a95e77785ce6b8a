"""The case folder: catalogue, blob store, full-text index and custody log, together."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

from docket.acquire.blobstore import BlobStore
from docket.acquire.custody import CustodyLog
from docket.settings import load_settings
from docket.store.catalogue import Catalogue, CatalogueError
from docket.store.fulltext import INDEX_VERSION, FullText

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


class CaseError(Exception):
    """The case folder is missing or broken."""


class Case:
    """Open with ``Case.open(path)``; ``create=True`` makes a new case folder."""

    def __init__(self, root: Path, catalogue: Catalogue, settings: dict[str, Any]) -> None:
        self.root = root
        self.catalogue = catalogue
        self.blobs = BlobStore(root / "blobs")
        self.settings = settings
        self._fulltext: FullText | None = None
        self._custody: CustodyLog | None = None

    @classmethod
    def open(
        cls, root: Path, *, create: bool = False, readonly: bool = False, **overrides: Any
    ) -> Case:
        root = Path(root)
        db = root / "case.db"
        if not db.exists() and not create:
            raise CaseError(f"no case at {root} (run `docket ingest` to create one)")
        try:
            if create:
                root.mkdir(parents=True, exist_ok=True)
                (root / "blobs").mkdir(exist_ok=True)
            catalogue = Catalogue(db, create=create and not readonly, readonly=readonly)
        except (CatalogueError, OSError) as exc:
            raise CaseError(str(exc)) from exc
        if not readonly and catalogue.get_meta("case_id") is None:
            # A stable identity that seals name (docket seal); a case made before case ids
            # gets one on its first writable open. OR IGNORE: the first writer's id stays.
            catalogue.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('case_id', ?)", (str(uuid.uuid4()),)
            )
        return cls(root, catalogue, load_settings(root, **overrides))

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
    def index_stale(self) -> bool:
        """The full-text index was built by a Docket with other index fields."""
        return self.catalogue.get_meta("index_version") not in (None, INDEX_VERSION)

    def rebuild_index(self) -> int:
        """Rebuild a stale index from the catalogue (under the writer lock); returns the
        number of items indexed."""
        from docket.store.refresh import index_pending

        self.lock()
        try:
            _ = self.fulltext  # opening the stale index empties it, every item unindexed
            return index_pending(self)
        finally:
            self.unlock()

    @property
    def fulltext(self) -> FullText:
        if self._fulltext is None:
            path = self.root / "index"
            if self.index_stale:
                # Fields changed in a newer Docket: rebuild from the catalogue.
                FullText.reset(path)
                self.catalogue.db.execute("UPDATE items SET indexed = 0")
            if self.catalogue.get_meta("index_version") != INDEX_VERSION:
                self.catalogue.set_meta("index_version", INDEX_VERSION)
            try:
                self._fulltext = FullText(path)
            except (ValueError, OSError) as exc:  # tantivy: "Data corrupted: …meta.json…"
                raise CaseError(
                    f"the search index in {path} is damaged ({exc}). It is derived from the "
                    "catalogue: rebuild it with `docket reindex`"
                ) from exc
        return self._fulltext

    def reset_index(self) -> int:
        """Throw the full-text index away, damaged or not, and rebuild it from the
        catalogue; returns the number of items indexed."""
        self.catalogue.set_meta("index_version", "")  # stale, so the next open rebuilds
        self._fulltext = None
        return self.rebuild_index()

    def log(self, event: str, **fields: Any) -> None:
        """Append a custody event and record the new head in the catalogue.

        The line is fsynced before the catalogue commits, so a crash in between leaves a
        log one line ahead. A pending-commit marker (``PENDING``), written first, says so:
        ``docket verify`` then reports an interrupted run instead of a mismatch. Inside
        the caller's transaction the marker stays until ``committed()``."""
        cat = self.catalogue
        own = not cat.db.in_transaction
        if own and not getattr(self, "_reconciling", False):
            # Whoever writes first after a crash (an ingest, a seal) names the lines
            # that were never committed before adding its own.
            self.reconcile_custody()
        self._mark_pending()
        head = self.custody.append(event, **fields)
        if own:
            cat.begin()  # both values or neither
        cat.set_meta("custody_seq", str(self.custody.seq))
        cat.set_meta("custody_head", head)
        if own:
            cat.commit()
            self.committed()

    def _mark_pending(self) -> None:
        marker = getattr(self, "_pending", None)
        if marker is None:
            marker = {"seq": self.custody.seq, "head": self.custody.head, "lines": 0}
            self._pending = marker
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

        self._lock = open(self.root / ".lock", "a+")  # noqa: SIM115 - held until exit
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
