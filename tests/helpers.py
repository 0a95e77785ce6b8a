"""Helpers for end-to-end tests: run the real CLI in a subprocess, build small sources."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any


def docket(
    *args: str | Path,
    case: Path | None = None,
    check: bool = True,
    timeout: float = 300,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m docket`` like a user would; returns the completed process."""
    cmd = [sys.executable, "-m", "docket", *map(str, args)]
    if case is not None:
        cmd += ["--case", str(case)]
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"{cmd} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


def docket_json(*args: str | Path, case: Path) -> Any:
    return json.loads(docket(*args, "--json", case=case).stdout)


def docket_lines(*args: str | Path, case: Path) -> list[dict[str, Any]]:
    out = docket(*args, "--json", case=case).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def small_cache(root: Path) -> Path:
    """A small mixed source folder: English and Arabic text, a nested zip, a duplicate."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "letters").mkdir()
    (root / "letters" / "request.txt").write_text(
        "Transfer request for the payroll of the northern office.\n"
    )
    (root / "letters" / "arabic.txt").write_bytes(
        "من: أبو عمار النعيمي\nالموضوع: طلب تحويل الرواتب\n".encode("cp1256")
    )
    (root / "letters" / "copy-of-request.txt").write_text(
        "Transfer request for the payroll of the northern office.\n"
    )
    inner = write_zip(root / "inner.zip", {"ledger.txt": b"ledger of payments, March"})
    write_zip(
        root / "mail.zip", {"2019/inner.zip": inner.read_bytes(), "notes.txt": b"meeting notes"}
    )
    inner.unlink()
    (root / "empty.txt").write_bytes(b"")
    return root
