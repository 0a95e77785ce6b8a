"""Checks on ``ingest``'s arguments that click cannot make: bad ones raise ``BadArguments``
(exit 2, with a message) before the case is opened, so a typo never starts (or half-starts)
a run."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from docket.cli.common import err, shown
from docket.model.errors import BadArguments
from docket.settings import max_jobs


def check_sources(raw: Sequence[str | Path], case: Path) -> list[Path]:
    """The sources as paths; exit 2 for an empty one, a missing one, or one inside the case.

    A source that holds the case folder is fine: the walk leaves the case out (it would
    otherwise ingest its own catalogue, WAL and blobs, and grow with every run)."""
    if any(str(s) == "" for s in raw):
        raise BadArguments('an empty source ("") names nothing; use . for this folder')
    sources = [Path(s) for s in raw]
    missing = [str(s) for s in sources if not s.exists() and not s.is_symlink()]
    if missing:
        raise BadArguments(f"no such source: {', '.join(missing)}")
    root = Path(os.path.realpath(case))
    for source in sources:
        real = Path(os.path.realpath(source))
        if real == root or root in real.parents:
            raise BadArguments(
                f"source {source} is inside the case being written "
                f"({case}); ingest the evidence, not the case"
            )
        if real in root.parents and not source.is_symlink():
            err.print(f"note: the case folder {shown(case)} is inside {shown(source)}; left out")
    return sources


def check_jobs(jobs: int | None) -> int | None:
    """``--jobs``: 0 means all cores (as the setting does); negative exits 2; more than
    ``max_jobs()`` is capped with a message — each worker is a process with its own
    memory cap, and 100,000 of them exhaust the machine, not speed it up."""
    if jobs is None or jobs == 0:
        return jobs
    if jobs < 0:
        raise BadArguments(f"--jobs must be 0 (all cores) or more, not {jobs}")
    cap = max_jobs()
    if jobs > cap:
        err.print(
            f"[yellow]note:[/] --jobs {jobs} capped to {cap} "
            f"(4 worker processes per core, {os.cpu_count() or 1} cores)"
        )
        return cap
    return jobs


def check_output(output: Path | None, *, folder: bool = False) -> None:
    """``--output``: exit 2 before any work when it cannot be written — its folder does
    not exist, or it names a folder where a file is wanted (``folder``: either is fine)."""
    if output is None:
        return
    parent = output.parent
    problem = None
    if not parent.is_dir():
        problem = f"no such folder: {parent}"
    elif output.is_dir() and not folder:
        problem = f"{output} is a folder; give a file name"
    elif not os.access(parent, os.W_OK):
        problem = f"cannot write in {parent}"
    if problem:
        raise BadArguments(f"--output: {problem}")


def check_key_file(path: Path | None) -> str | None:
    """The key file's absolute path (workers read it), once it has been read and parsed:
    a missing file or a malformed line is a bad argument, told before the run."""
    from docket.extract.disk.keys import KeyFileError, load_keys

    return _checked_list(path, "--key-file", "keys", load_keys, KeyFileError)


def check_passwords(path: Path | None) -> str | None:
    """The password list's absolute path (workers read it), once it has been read: a
    missing file, one that is not UTF-8 or one with no password is a bad argument."""
    from docket.extract.passwords import PasswordFileError, load

    return _checked_list(path, "--passwords", "passwords", load, PasswordFileError)


def _checked_list(
    path: Path | None,
    option: str,
    noun: str,
    load: Callable[[Path], Sequence[object]],
    error: type[Exception],
) -> str | None:
    """A list of secrets read once before the run (workers read it again from its
    absolute path): unreadable, malformed or empty is a bad argument naming ``option``."""
    if path is None:
        return None
    try:
        found = load(path)
    except error as exc:
        raise BadArguments(f"{option}: {exc}") from None
    if not found:
        raise BadArguments(f"{option}: no {noun} in {path}")
    return str(path.resolve())
