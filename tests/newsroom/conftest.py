"""A real PostgreSQL for the server tests: a throwaway cluster (``initdb`` + ``pg_ctl``) in
a temporary folder, listening on a unix socket only; skipped, saying why, where the
PostgreSQL binaries are absent."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

_BIN_DIRS = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]


def _binary(name: str) -> str | None:
    for d in _BIN_DIRS:
        if (d / name).exists():
            return str(d / name)
    return shutil.which(name)


def _as_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as ``nobody`` then."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "nobody", "--"]


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    """A running cluster; yields the URL of its ``postgres`` database (user ``docket``)."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    pytest.importorskip("psycopg")
    base = Path(tempfile.mkdtemp(prefix="docket-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        base.chmod(0o755)
    run = _as_user()
    subprocess.run(
        [*run, initdb, "-D", str(data), "-A", "trust", "-U", "docket", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    opts = f"-k {base} -c listen_addresses='' -F -c max_connections=200"
    subprocess.run(
        [*run, pg_ctl, "-D", str(data), "-o", opts, "-w", "-l", str(base / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://docket@/postgres?host={base}"
    finally:
        subprocess.run(
            [*run, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: str) -> str:
    """A fresh, empty database in the session's cluster."""
    import psycopg

    name = "t" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_cluster, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_cluster.replace("/postgres?", f"/{name}?")
