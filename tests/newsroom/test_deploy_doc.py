"""docs/deploy.md's newsroom install, run as written: every command of the ``sh`` blocks
of "A newsroom server from scratch", in order, on a throwaway PostgreSQL cluster, with the
doc's paths moved into a temporary folder. Package installs and the system user are the
only lines left out (``SKIPPED``); any other new line in the doc is run, so the doc and
this test cannot drift apart. After the backup, the database is dropped and the storage
deleted; the doc's restore must bring back a case that verifies, and a blob changed after
the restore must make ``docket verify`` fail."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.newsroom.conftest import _as_user, _binary
from tests.newsroom.helpers import ARABIC, ENGLISH

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploy.md"
SECTION = "## A newsroom server from scratch"
# Lines the test does not run: installing packages and adding the system user need root
# on a real machine (the test's machine has them already), and chown needs that user.
SKIPPED = ("apt-get install", "adduser ", "python3 -m venv", "chown docket")
PASSWORD = "amira password 1"


def doc_commands() -> list[list[str]]:
    """The section's ``sh`` blocks, each a list of commands (continuations joined)."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    out = []
    for block in blocks:
        joined = block.replace("\\\n", " ")
        out.append([line for line in joined.splitlines() if line.strip()])
    return out


@pytest.fixture
def machine() -> Iterator[dict[str, object]]:
    """A temporary folder standing in for the machine, and a PostgreSQL cluster whose
    superuser is ``postgres``, as Debian's is, on a unix socket inside it."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    for tool in ("rsync", "jq", "openssl", "pg_dump", "pg_restore", "createdb"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed (scripts/system-deps.sh)")
    base = Path(tempfile.mkdtemp(prefix="docket-deploy-"))
    base.chmod(0o755)  # PostgreSQL's user reaches its folder inside
    sock = base / "pg"
    sock.mkdir()
    if os.geteuid() == 0:
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.chown(sock, nobody.pw_uid, nobody.pw_gid)
    run = _as_user()
    data = sock / "data"
    subprocess.run(
        [*run, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    opts = f"-k {sock} -c listen_addresses='' -F"
    subprocess.run(
        [*run, pg_ctl, "-D", str(data), "-o", opts, "-w", "-l", str(sock / "log"), "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield {"base": base, "sock": sock}
    finally:
        subprocess.run(
            [*run, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rewrite(line: str, base: Path, sock: Path, port: int) -> tuple[str, str | None]:
    """The doc's command on this machine, and what it reads on stdin."""
    for real, here in (
        ("/var/run/postgresql", str(sock)),
        ("/opt/docket/bin/docket", "docket"),
        ("/srv/", f"{base}/srv/"),
        ("/etc/docket", f"{base}/etc/docket"),
        ("/backup", f"{base}/backup"),
    ):
        line = line.replace(real, here)
    line = re.sub(r"docket-\d{4}-\d\d-\d\d\.dump", f"docket-{date.today():%Y-%m-%d}.dump", line)
    line = line.replace("--port 443", f"--port {port}").replace(
        "--host 0.0.0.0", "--host 127.0.0.1"
    )
    stdin = None
    if re.search(r"\bdocket user add \w+", line) and "--password-stdin" not in line:
        line = re.sub(r"(\bdocket user add \S+)", r"\1 --password-stdin", line)
        stdin = PASSWORD + "\n"
    return line, stdin


PRELUDE = """
set -eo pipefail
sudo() { if [ "$1" = -u ]; then local who=$2; shift 2; PGUSER=$who "$@"; else "$@"; fi; }
docket() { "$DOCKET_PYTHON" -m docket "$@"; }
"""


def _env(base: Path, sock: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DOCKET_PYTHON": sys.executable,
        "DOCKET_SERVER_CONFIG": str(base / "server.json"),
        "DOCKET_ENRICH": "language",
        "PGHOST": str(sock),
        "PGUSER": "docket",
        "COLUMNS": "200",
    }


def _bash(line: str, env: dict[str, str], stdin: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", PRELUDE + line], env=env, input=stdin or "", capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip


def test_the_install_backup_and_restore_of_deploy_md(machine: dict[str, object]) -> None:
    base, sock = Path(str(machine["base"])), Path(str(machine["sock"]))
    env = _env(base, sock)
    evidence = base / "srv" / "evidence" / "drive"
    evidence.mkdir(parents=True)
    (evidence / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (evidence / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (base / "srv" / "docket").mkdir(parents=True, exist_ok=True)
    (base / "srv" / "docket" / "sam.txt").write_text("sam password 1\n")
    port = _free_port()
    blocks = doc_commands()
    assert len(blocks) >= 5 and any("pg_restore" in " ".join(b) for b in blocks)
    ran, restored = [], ""
    for block in blocks:
        text = " ".join(block)
        if "pg_restore" in text:  # the disaster the backup is for
            subprocess.run(["dropdb", "docket"], env={**env, "PGUSER": "postgres"}, check=True)
            shutil.rmtree(base / "srv" / "docket" / "storage")
        if re.search(r"\bdocket serve\b", text):
            _serve(block, base, sock, port, env)
            continue
        for line in block:
            if line.lstrip().startswith(SKIPPED) or line.lstrip().startswith("#"):
                continue
            command, stdin = _rewrite(line, base, sock, port)
            if block[0].startswith("for ") or line.startswith(("for ", "  ", "done")):
                continue  # a loop: run whole, below
            done = _bash(command, env, stdin)
            assert done.returncode == 0, (line, command, done.stdout, done.stderr)
            ran.append(line)
        loop = [ln for ln in block if ln.startswith(("for ", "  ", "done"))]
        if loop:
            command, _ = _rewrite("\n".join(loop), base, sock, port)
            done = _bash(command, env, None)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
            restored = done.stdout + done.stderr
            ran.append(loop[0])
    assert any("server init" in r for r in ran) and any("pg_dump" in r for r in ran)
    assert "RESTORE FAILED" not in restored, restored
    assert "re-hashed" in restored, restored  # docket verify ran on the restored case

    # what was backed up is back: the documents, found by search, and the audit trail
    hits = _bash("docket --case server:raqqa-drive search الراوي --json", env, None)
    assert hits.returncode == 0 and "ar.txt" in hits.stdout, hits.stdout + hits.stderr
    trail = _bash("docket --case server:raqqa-drive audit --json", env, None)
    assert '"ingest"' in trail.stdout
    # and a restore that changed a blob does not verify
    blob = next(
        p for p in (base / "srv/docket/storage/cases/raqqa-drive/blobs").rglob("*") if p.is_file()
    )
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes() + b"tampered")
    bad = _bash("docket verify --case server:raqqa-drive", env, None)
    assert bad.returncode == 1, bad.stdout + bad.stderr


def _serve(block: list[str], base: Path, sock: Path, port: int, env: dict[str, str]) -> None:
    """The doc's ``docket serve`` line, run until it answers over HTTPS with the doc's
    certificate, then stopped."""
    (line,) = [ln for ln in block if re.search(r"\bdocket serve\b", ln)]
    command, _ = _rewrite(line, base, sock, port)
    proc = subprocess.Popen(
        ["bash", "-c", PRELUDE + command], env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        trust = ssl.create_default_context(cafile=str(base / "etc" / "docket" / "cert.pem"))
        for _ in range(600):
            try:
                r = httpx.get(f"https://127.0.0.1:{port}/login", verify=trust, timeout=2)
                break
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        else:
            raise AssertionError("the desk did not answer")
        assert r.status_code == 200 and "password" in r.text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
