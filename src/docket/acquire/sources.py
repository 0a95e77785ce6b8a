"""Walk sources (folders and single files) into item rows. Links are recorded, never
followed; unreadable folders and special files are recorded with a reason."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docket.acquire.ids import root_id
from docket.model.errors import Code
from docket.model.items import Status
from docket.model.rows import ItemRow


def iso_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def fs_meta(st: os.stat_result) -> dict[str, Any]:
    return {
        "modified": iso_time(st.st_mtime),
        "accessed": iso_time(st.st_atime),
        "changed": iso_time(st.st_ctime),
        "inode": st.st_ino,
        "mode": oct(stat.S_IMODE(st.st_mode)),
        "uid": st.st_uid,
        "gid": st.st_gid,
    }


def readable(name: str) -> str:
    """A file name as stored and shown: valid UTF-8 as it is; bytes that are not UTF-8
    (surrogate-escaped by ``os.fsdecode``) written as ``\\xff`` escapes. SQLite and JSON
    cannot hold the surrogates, and one such name used to stop the whole run."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


def raw_path(path: str) -> str | bytes:
    """``path`` for the catalogue's ``source`` column: text when it is UTF-8, else its
    exact bytes (a BLOB), so the file can still be opened by its real name."""
    return path if readable(path) == path else os.fsencode(path)


def walk(source: Path, exclude: Path | None = None) -> Iterator[ItemRow]:
    """Item rows for every entry under ``source`` (or for ``source`` itself if a file).

    ``exclude`` (the case being written) is left out wherever it appears under
    ``source``: ingesting a folder that holds the case must not ingest the case."""
    source = Path(os.path.abspath(source))
    top = readable(source.name or str(source))
    if source.is_symlink() or not source.is_dir():
        yield _entry(source, str(source.parent), source.name, [readable(source.name)])
        return
    skip = _identity(exclude)
    stack = [source]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            rel = os.path.relpath(folder, source)
            yield _failed(
                str(source),
                rel,
                [f"{top}/{readable(rel)}"],
                Code.UNREADABLE,
                f"folder not readable: {exc.strerror}",
            )
            continue
        subdirs = []
        for entry in entries:
            rel = os.path.relpath(entry.path, source)
            if entry.is_dir(follow_symlinks=False):
                if skip is None or entry.inode() != skip[1] or _identity(Path(entry.path)) != skip:
                    subdirs.append(Path(entry.path))
            else:
                yield _entry(Path(entry.path), str(source), rel, [f"{top}/{readable(rel)}"])
        stack.extend(reversed(subdirs))


def _identity(path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _entry(path: Path, base: str, rel: str, display: list[str]) -> ItemRow:
    # The id is made from the real name (bytes included), the shown name from readable().
    name = readable(path.name)
    row: ItemRow = {
        "id": root_id(base, rel),
        "parent_id": None,
        "path": display,
        "name": name,
        "depth": 0,
        "source": raw_path(str(path)),
        "extension": _ext(name),
        "status": Status.PENDING,
    }
    try:
        st = path.lstat()
    except OSError as exc:
        row.update(
            {"status": Status.FAILED, "code": Code.UNREADABLE, "message": str(exc.strerror or exc)}
        )
        return row
    row["fs"] = fs = fs_meta(st)
    if name != path.name:  # not UTF-8: the exact bytes of the name, so nothing is lost
        fs["name_bytes"] = os.fsencode(path.name).hex()
    row["size"] = st.st_size
    if stat.S_ISLNK(st.st_mode):
        target = readable(os.readlink(path))
        row.update(
            {
                "status": Status.SKIPPED,
                "code": Code.LINK,
                "message": f"symbolic link to {target!r}; not followed",
            }
        )
        fs["link_target"] = target
        row["size"] = 0
    elif not stat.S_ISREG(st.st_mode):
        row.update(
            {
                "status": Status.SKIPPED,
                "code": Code.UNSUPPORTED,
                "message": "not a regular file (device, socket or pipe)",
            }
        )
        row["size"] = 0
    return row


def _failed(base: str, rel: str, display: list[str], code: str, message: str) -> ItemRow:
    return {
        "id": root_id(base, rel),
        "parent_id": None,
        "path": display,
        "name": readable(os.path.basename(rel)),
        "depth": 0,
        "source": None,
        "extension": "",
        "status": Status.FAILED,
        "code": code,
        "message": message,
        "size": 0,
    }


def _ext(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""
