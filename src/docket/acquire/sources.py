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


def walk(source: Path) -> Iterator[dict[str, Any]]:
    """Item rows for every entry under ``source`` (or for ``source`` itself if a file)."""
    source = Path(os.path.abspath(source))
    top = source.name or str(source)
    if source.is_symlink() or not source.is_dir():
        yield _entry(source, str(source.parent), source.name, [source.name])
        return
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
                [f"{top}/{rel}"],
                Code.UNREADABLE,
                f"folder not readable: {exc.strerror}",
            )
            continue
        subdirs = []
        for entry in entries:
            rel = os.path.relpath(entry.path, source)
            if entry.is_dir(follow_symlinks=False):
                subdirs.append(Path(entry.path))
            else:
                yield _entry(Path(entry.path), str(source), rel, [f"{top}/{rel}"])
        stack.extend(reversed(subdirs))


def _entry(path: Path, base: str, rel: str, display: list[str]) -> dict[str, Any]:
    name = path.name
    row: dict[str, Any] = {
        "id": root_id(base, rel),
        "parent_id": None,
        "path": display,
        "name": name,
        "depth": 0,
        "source": str(path),
        "extension": _ext(name),
        "status": Status.PENDING,
    }
    try:
        st = path.lstat()
    except OSError as exc:
        row.update(status=Status.FAILED, code=Code.UNREADABLE, message=str(exc.strerror or exc))
        return row
    row["fs"] = fs_meta(st)
    row["size"] = st.st_size
    if stat.S_ISLNK(st.st_mode):
        target = os.readlink(path)
        row.update(
            status=Status.SKIPPED,
            code=Code.LINK,
            message=f"symbolic link to {target!r}; not followed",
        )
        row["fs"]["link_target"] = target
        row["size"] = 0
    elif not stat.S_ISREG(st.st_mode):
        row.update(
            status=Status.SKIPPED,
            code=Code.UNSUPPORTED,
            message="not a regular file (device, socket or pipe)",
        )
        row["size"] = 0
    return row


def _failed(base: str, rel: str, display: list[str], code: str, message: str) -> dict[str, Any]:
    return {
        "id": root_id(base, rel),
        "parent_id": None,
        "path": display,
        "name": os.path.basename(rel),
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
