"""How an ingest run ends when something is wrong with Docket or the machine, not with
the data: a bug that keeps recurring aborts the run; a full disk stops it. Either way the
items not yet written stay pending, and the next run resumes them.

``internal`` failures are bugs. Unlike data failures (recorded once, never redone), they
are reset to pending at the start of every run, so that re-running after the fix
re-processes exactly those items.
"""

from __future__ import annotations

import errno
import sqlite3
from typing import TYPE_CHECKING

from docket.model.errors import Code, RunAborted
from docket.model.items import Status

__all__ = ["RunAborted", "abort_reason", "is_disk_full", "retry_encrypted", "retry_internal"]

if TYPE_CHECKING:
    from docket.case import Case

# The same internal error (``tasks.internal_signature``) on more than this share of the
# items processed so far in the run, and on at least ABORT_MIN of them, stops the run: a
# bug that hits every PDF should cost minutes, not a night's run of failed items.
ABORT_SHARE = 0.05
ABORT_MIN = 3


def abort_reason(internal: dict[str, int], processed: int) -> str | None:
    """Why the run must stop, given this run's internal failures by signature and the
    number of items it has processed; None while it may go on."""
    for signature, n in sorted(internal.items(), key=lambda kv: -kv[1]):
        if n >= ABORT_MIN and n > ABORT_SHARE * processed:
            return (
                f"internal error on {n} of {processed} items processed "
                f"(over {ABORT_SHARE:.0%}): {signature}"
            )
    return None


def is_disk_full(exc: BaseException) -> bool:
    """A write failed for want of space: ENOSPC, SQLite's SQLITE_FULL, or the full-text
    index's I/O error (tantivy reports the OS error in its message)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or (
            "database or disk is full" in str(exc)
        )
    text = str(exc)
    return "No space left on device" in text or "os error 28" in text


def retry_internal(case: Case, run_id: int) -> int:
    """Reset every item that failed with an internal error to pending, for this run to
    process again; logged in custody with each item's full record as reset (status,
    cleared code and message: ``docket.verify.records``, as ``flush`` logs), so verify
    checks those items' metadata between the retry and the run's next record. Returns
    how many."""
    cat = case.catalogue
    where = "status = ? AND code = ?"
    params = (str(Status.FAILED), str(Code.INTERNAL))
    ids = [r[0] for r in cat.db.execute(f"SELECT id FROM items WHERE {where}", params)]
    return _reset(case, run_id, ids, str(Code.INTERNAL))


def retry_encrypted(case: Case, run_id: int) -> int:
    """With a password list (``ingest --passwords``): reset to pending every item of a
    type passwords open (``extract.passwords.OPENS``) that stayed ``encrypted``, and
    every such archive holding a member that stayed ``encrypted``, for this run to open
    with the list; nothing else is redone. Members already read are kept (their ids are
    stable); locked ones are filled in (``ingest._Runner._add_child``). A disk image's
    volumes are opened with the key file when the image is first read. Logged like
    ``retry_internal``. Returns how many."""
    from docket.extract.passwords import OPENS

    cat = case.catalogue
    marks = ", ".join("?" for _ in OPENS)
    rows = cat.db.execute(
        f"SELECT id FROM items WHERE sha256 IS NOT NULL AND type IN ({marks}) AND (status = ?"
        " OR id IN (SELECT parent_id FROM items WHERE status = ? AND sha256 IS NULL))",
        (*sorted(OPENS), str(Status.ENCRYPTED), str(Status.ENCRYPTED)),
    )
    ids = [r[0] for r in rows]
    return _reset(case, run_id, ids, str(Code.ENCRYPTED))


def _reset(case: Case, run_id: int, ids: list[str], reason: str) -> int:
    from docket.verify.records import item_records

    if not ids:
        return 0
    cat = case.catalogue
    cat.begin()
    try:
        for at in range(0, len(ids), 500):
            chunk = ids[at : at + 500]
            marks = ", ".join("?" for _ in chunk)
            cat.db.execute(
                "UPDATE items SET status = 'pending', code = NULL, message = NULL"
                f" WHERE id IN ({marks})",
                chunk,
            )
        records = item_records(cat.db, ids)
        case.log("retry", run=run_id, reason=reason, items=records)
        cat.commit()
    except BaseException:
        cat.rollback()
        raise
    case.committed()
    return len(ids)
