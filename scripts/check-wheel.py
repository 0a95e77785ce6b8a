"""The installed package is the tested package: build Docket's wheel, install it into a
fresh virtual environment (no editable install, no source tree on the path) and use that
copy end to end, as a new user and a cluster worker would (issue 13).

    python scripts/check-wheel.py [--keep]

Run by ``make test`` after pytest. Steps: ``docket doctor``; ``docket demo`` (the sample
cache generated and ingested) with no item failed ``internal``; an Arabic and an English
search with hits; ``show``; ``verify``; one desk page served; ``export ftm``; and the
sample cache ingested again with ``--cluster`` on a Dask scheduler and one worker started
from the same fresh environment. Exits 1 naming the first step that failed. Every
process it starts is stopped, and the temporary folder removed (``--keep`` keeps it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STARTED: list[subprocess.Popen[bytes]] = []


class Failed(Exception):
    pass


def say(message: str) -> None:
    print(f"check-wheel: {message}", flush=True)


def run(cmd: list[str | Path], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    proc = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0:
        raise Failed(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}"
        )
    return proc.stdout


def build_wheel(tmp: Path) -> Path:
    """The wheel, built from a clean copy of the tree (a stale build/ could add files)."""
    tree = tmp / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, tree / name)
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "src", tree / "src", ignore=junk)
    dist = tmp / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, tree]
    run(cmd, tmp, dict(os.environ))
    (wheel,) = dist.glob("docket-*.whl")
    return wheel


def user_env(venv_dir: Path) -> dict[str, str]:
    """A user's shell with the fresh environment activated: nothing of the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    parts = [p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))]
    env["PATH"] = os.pathsep.join([str(venv_dir / "bin"), *parts])
    env["VIRTUAL_ENV"] = str(venv_dir)
    env["COLUMNS"] = "200"
    return env


def docket_json(args: list[str | Path], cwd: Path, env: dict[str, str]) -> Any:
    return json.loads(run(["docket", *args, "--json"], cwd, env))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    cmd: list[str | Path], cwd: Path, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with its children
        )
    STARTED.append(proc)
    return proc


def stop_all() -> None:
    for proc in reversed(STARTED):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in STARTED:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def no_internal_failures(case: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    status = docket_json(["status", "--case", case], work, env)
    internal = [f for f in status["failures"] if f["code"] == "internal"]
    if internal:
        raise Failed(
            f"items failed with code internal: {json.dumps(internal[:5], ensure_ascii=False)}"
        )
    if not status["items"]:
        raise Failed("the case holds no items")
    return status


def serve_one_page(case: Path, work: Path, env: dict[str, str]) -> None:
    port = free_port()
    log = work / "serve.log"
    server = start(
        ["docket", "serve", "--port", port, "--workers", "1", "--case", case], work, env, log
    )
    url = f"http://127.0.0.1:{port}/search?q=transfer"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as page:
                body = page.read().decode("utf-8")
            break
        except OSError as exc:
            if server.poll() is not None or time.monotonic() > deadline:
                raise Failed(
                    f"the desk did not answer at {url}: {exc}\n{log.read_text()[-2000:]}"
                ) from exc
            time.sleep(0.3)
    if page.status != 200 or "<html" not in body.lower():
        raise Failed(f"the desk answered {page.status} at {url}")
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(10)


def publish_one(case: Path, item: str, work: Path, env: dict[str, str]) -> None:
    """Redaction proposals, one item published (face cascades, Chromium, OCR of the
    output: the installed wheel's data and its dependencies'), and the bundle checked."""
    docket_json(["redact", "suggest", "--case", case], work, env)
    run(["docket", "redact", "accept", "--item", item, "--case", case], work, env)
    bundle = work / "bundle"
    run(["docket", "publish", item, "-o", bundle, "--case", case], work, env)
    run(["docket", "verify-bundle", bundle], work, env)


def cluster_ingest(
    venv_dir: Path, source: Path, tmp: Path, env: dict[str, str], items: int
) -> None:
    dask_dir = tmp / "dask"  # like another machine: not the checkout, not the user's folder
    dask_dir.mkdir()
    scheduler_file = dask_dir / "scheduler.json"
    dask = venv_dir / "bin" / "dask"
    start(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", scheduler_file],
        dask_dir, env, dask_dir / "scheduler.log",
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not scheduler_file.exists() or not scheduler_file.read_text().strip():
        if time.monotonic() > deadline:
            raise Failed("the Dask scheduler did not start in 60 s")
        time.sleep(0.2)
    time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    start(
        [dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "1",
         "--no-dashboard", "--local-directory", dask_dir / "work"],
        dask_dir, env, dask_dir / "worker.log",
    )  # fmt: skip
    work = tmp / "work"
    case = tmp / "cluster-case"
    run(["docket", "doctor", "--cluster", address, "--case", case], work, env, timeout=120)
    run(["docket", "ingest", source, "--cluster", address, "--case", case], work, env)
    status = no_internal_failures(case, work, env)
    if status["items"] != items:
        raise Failed(f"--cluster ingested {status['items']} items, the local run {items}")
    executors = [str(r.get("executor", "")) for r in status.get("runs", [])]
    if not executors or not executors[-1].startswith("dask:"):
        raise Failed(f"the run did not go through Dask: {executors}")


def check(tmp: Path) -> None:
    started = time.monotonic()
    wheel = build_wheel(tmp)
    say(f"built {wheel.name} ({time.monotonic() - started:.0f} s)")
    venv_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    env = user_env(venv_dir)
    work = tmp / "work"
    work.mkdir()
    pip = [venv_dir / "bin" / "python", "-m", "pip", "install", "-q"]
    run([*pip, "-c", ROOT / "constraints.txt", wheel], work, env)
    say(f"installed into a fresh virtual environment ({time.monotonic() - started:.0f} s)")
    where = run(["python", "-c", "import docket; print(docket.__file__)"], work, env).strip()
    if not where.startswith(str(venv_dir)):
        raise Failed(f"docket was imported from {where}, not from the fresh environment")

    run(["docket", "doctor", "--case", work / "case"], work, env, timeout=120)
    say("docket doctor: every must-have present")
    source, case = work / "demo-cache", work / "case"
    run(["docket", "demo", "--out", source, "--case", case], work, env)
    status = no_internal_failures(case, work, env)
    say(
        f"docket demo: {status['items']} items, none failed internal ({time.monotonic() - started:.0f} s)"
    )

    hits: dict[str, list[dict[str, Any]]] = {}
    for query in ("النعيمي", "transfer"):
        found = docket_json(["search", query, "--case", case], work, env)
        if not found["total"]:
            raise Failed(f"docket search {query!r} found nothing")
        hits[query] = found["hits"]
    item = docket_json(["show", hits["transfer"][0]["id"], "--case", case], work, env)
    if not item.get("text"):
        raise Failed(f"docket show {item['id']} has no text")
    run(["docket", "verify", "--case", case], work, env)
    say("search (Arabic, English), show, verify")
    serve_one_page(case, work, env)
    say("docket serve answered a search page")
    ftm = run(["docket", "export", "ftm", "--case", case], work, env)
    entities = [json.loads(line) for line in ftm.splitlines() if line.strip()]
    if not entities:
        raise Failed("docket export ftm wrote nothing")
    say(f"docket export ftm: {len(entities)} entities")
    publish_one(case, hits["النعيمي"][0]["id"], work, env)
    say("docket redact suggest, publish (checked), verify-bundle")
    cluster_ingest(venv_dir, source, tmp, env, status["items"])
    stop_all()
    say(f"--cluster ingest with one worker: same items ({time.monotonic() - started:.0f} s)")


def main() -> int:
    keep = "--keep" in sys.argv[1:]
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="docket-wheel-"))
    try:
        check(tmp)
    except (Failed, subprocess.TimeoutExpired) as exc:
        say(f"FAILED: {exc}")
        for log in sorted(tmp.glob("**/*.log")):
            print(f"--- {log}\n{log.read_text(errors='replace')[-2000:]}", file=sys.stderr)
        return 1
    finally:
        stop_all()
        if keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    say(f"ok: the installed wheel works end to end ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
