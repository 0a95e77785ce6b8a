"""``case push`` and ``case pull``: a case moved between a folder and the server.

The source is verified first (``docket verify``: blobs re-hashed, the custody chain
replayed against the catalogue); every catalogue row is copied table by table, every blob
is re-hashed as it is written (a blob whose bytes do not match its name stops the move),
the custody log is copied as it is, and the copy is verified again before it counts.
The full-text index is not copied: the copy rebuilds it on first open (``Case.open``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from docket.acquire.blobstore import BlobStore
from docket.case import Case
from docket.model.errors import BadArguments, CheckFailed
from docket.newsroom.accounts import Server
from docket.store.catalogue import Catalogue
from docket.store.dialect import serial_keys, table_keys

_FILES = ("custody.log", "settings.json")


def push(
    server: Server, folder: Path, name: str, *, actor: str, notify: Callable[[str], None]
) -> int:
    if not (folder / "case.db").exists():
        raise BadArguments(f"no local case at {folder}")
    source = Case.open(folder, readonly=True, repair_index=False)
    try:
        _verified(source, "the local case")
        server.create_case(name, actor=actor)
        target = Case.open(server.config.case_root(name), repair_index=False)
        try:
            n = _copy(source, target, notify)
        finally:
            target.close()
    finally:
        source.close()
    _check_copy(server.config.case_root(name), notify)
    return n


def pull(
    server: Server, name: str, folder: Path, *, actor: str, notify: Callable[[str], None]
) -> int:
    if folder.exists() and any(folder.iterdir()):
        raise BadArguments(f"{folder} is not empty: pull into a new folder")
    if not server.case_exists(name):
        raise BadArguments(f"no case {name!r} on the server")
    source = Case.open(server.config.case_root(name), readonly=True, repair_index=False)
    try:
        _verified(source, f"server:{name}")
        target = Case.open(folder, create=True, repair_index=False)
        try:
            n = _copy(source, target, notify)
        finally:
            target.close()
    finally:
        source.close()
    _check_copy(folder, notify)
    return n


def _verified(case: Case, what: str) -> None:
    from docket.verify.integrity import verify

    report = verify(case)
    if not report.ok:
        first = "; ".join(f"{p.code}: {p.detail}" for p in report.problems[:3])
        raise CheckFailed(f"{what} does not verify, so it is not moved ({first})")


def _copy(source: Case, target: Case, notify: Callable[[str], None]) -> int:
    _copy_rows(source.catalogue, target.catalogue)
    blobs = {r[0] for r in source.catalogue.db.execute("SELECT DISTINCT sha256 FROM items") if r[0]}
    notify(f"copying {len(blobs)} blobs, each re-hashed")
    _copy_blobs(source.blobs, target.blobs, blobs)
    for name in _FILES:
        if (source.root / name).exists():
            shutil.copyfile(source.root / name, target.root / name)
    return int(target.catalogue.count())


def _copy_rows(src: Catalogue, dst: Catalogue) -> None:
    have = {r[0] for r in src.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    serial = serial_keys()
    dst.begin()
    try:
        for table, (_, columns) in table_keys().items():
            if table not in have:
                continue
            cols = [c for c in columns]
            quoted = ", ".join(f'"{c}"' for c in cols)
            rows = src.db.execute(f"SELECT {quoted} FROM {table}").fetchall()
            dst.db.execute(f"DELETE FROM {table}")
            dst.db.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(cols))})",
                [tuple(r) for r in rows],
            )
            if table in serial and hasattr(dst, "lock_table"):
                # PostgreSQL identity columns: continue after the copied ids
                key = serial[table]
                dst.db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), "
                    f"coalesce((SELECT max({key}) FROM {table}), 0) + 1, false)"
                )
        dst.set_meta("index_version", "")  # the copy rebuilds its index on first open
        dst.db.execute("UPDATE items SET indexed = 0")
        dst.commit()
    except BaseException:
        dst.rollback()
        raise
    analyze = getattr(dst, "analyze", None)
    if analyze is not None:  # PostgreSQL: plan the first queries on the copy with its statistics
        analyze()


def _copy_blobs(src: BlobStore, dst: BlobStore, hashes: set[str]) -> None:
    for sha in sorted(hashes):
        if not src.exists(sha):
            raise CheckFailed(f"blob {sha} is missing from the source")
        with src.open(sha) as f:
            info = dst.put_stream(f)
        if info.sha256 != sha:
            raise CheckFailed(f"blob {sha} changed on the way (its bytes hash to {info.sha256})")


def _check_copy(root: Path, notify: Callable[[str], None]) -> None:
    copy = Case.open(root, notify=notify)  # rebuilds the index from the copied catalogue
    try:
        _verified(copy, f"the copy in {root}")
    finally:
        copy.close()
