"""The Dask executor on a real cluster on loopback (one scheduler, two worker processes):
the same results as the local pool, a worker SIGKILLed mid-run loses nothing, limits
apply on workers as in local mode, and an unusable cluster is a clear error."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")

from docket.case import Case
from docket.demo.generator import generate
from docket.pipeline.cluster import DaskExecutor
from docket.pipeline.tasks import Task
from docket.settings import load_settings
from tests.fixtures.cluster import LoopbackCluster
from tests.helpers import docket, docket_json, docket_lines, small_cache, write_zip
from tests.pipeline.test_pool import behave

QUERIES = ["transfer", "payroll OR ledger", "النعيمي", '"meeting notes"', "type:pdf", "a*"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[LoopbackCluster]:
    with LoopbackCluster(workers=2) as c:
        yield c


def _catalogue(case: Path) -> dict[str, dict[str, Any]]:
    """Every item as `docket list --json` gives it, plus its text, keyed by id."""
    items = {i["id"]: i for i in docket_lines("list", case=case)}
    c = Case.open(case, readonly=True)
    for item_id, item in items.items():
        item["text"] = c.catalogue.text(item_id)
    return items


def _search(case: Path) -> dict[str, Any]:
    out = {}
    for q in QUERIES:
        result = docket_json("search", q, "--limit", "1000", case=case)
        out[q] = (result["total"], sorted(h["id"] for h in result["hits"]))
    return out


def test_same_results_as_the_local_pool(
    cluster: LoopbackCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = small_cache(tmp_path / "src")
    generate(src / "demo")
    # Small enough that some files travel with the task and others are read by the
    # worker from the (here local, in production shared) source path.
    monkeypatch.setenv("DOCKET_CLUSTER_INLINE_BYTES", "4000")
    docket("ingest", src, "--jobs", "2", case=tmp_path / "local")
    run = docket("ingest", src, "--cluster", cluster.address, case=tmp_path / "dask")
    assert "2 workers" in run.stderr

    local, dask = _catalogue(tmp_path / "local"), _catalogue(tmp_path / "dask")
    assert len(local) > 40
    assert dask == local
    assert _search(tmp_path / "dask") == _search(tmp_path / "local")
    assert docket_json("verify", case=tmp_path / "dask")["ok"]
    runs = docket_json("status", case=tmp_path / "dask")["runs"]
    assert runs[0]["executor"] == f"dask:{cluster.address} (2 workers, 2 threads)"
    assert "dask:" in docket("status", case=tmp_path / "dask").stdout


def test_a_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    n = 600
    for i in range(n):
        (src / f"doc-{i:05d}.txt").write_text(f"record {i} token{i:05d} of the payroll\n")
    for i in range(4):
        write_zip(
            src / f"a-{i}.zip", {f"m-{j}.txt": f"archived a{i}m{j}".encode() for j in range(25)}
        )
    case = tmp_path / "case"
    with LoopbackCluster(workers=2) as c:
        env = {**os.environ, "DOCKET_COMMIT_SECONDS": "0.2"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "docket", "ingest", str(src), "--cluster", c.address],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**env, "DOCKET_CASE": str(case)},
        )
        try:
            log = case / "custody.log"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                if log.exists() and log.read_text().count('"event": "items"') >= 2:
                    break
                time.sleep(0.02)
            assert proc.poll() is None, "the run ended before the kill"
            c.kill_worker(c.workers[0])
            _, stderr = proc.communicate(timeout=180)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, stderr.decode() + c.logs()

    items = docket_lines("list", case=case)
    assert len(items) == n + 4 + 4 * 25
    assert len({i["id"] for i in items}) == len(items)
    assert {i["status"] for i in items} == {"ok"}
    for i in (0, 300, n - 1):
        assert docket_json("search", f"token{i:05d}", case=case)["total"] == 1
    assert docket_json("search", "archived", case=case)["total"] == 100
    assert docket_json("verify", case=case)["ok"]
    assert [r["status"] for r in docket_json("status", case=case)["runs"]] == ["completed"]


def _task(name: str) -> Task:
    return Task(item_id=name, name=name, extension="", depth=0, sha256=None, size=0, source=None)


def test_item_limits_apply_on_workers(cluster: LoopbackCluster, tmp_path: Path) -> None:
    settings = load_settings(
        None, timeout=8.0, memory_mb=512, cluster=cluster.address, cluster_timeout=20.0
    )
    # 8 s, not 2: the first task on a Dask worker also starts its one-process pool, and
    # the hog must reach its cap before the clock runs out on a loaded machine.
    ex = DaskExecutor(cluster.address, tmp_path / "blobs", settings, work=behave)
    names = ["hang", "hog", "segfault", "ok-1", "ok-2", "ok-3"]
    results: dict[str, Any] = {}
    queue = list(names)
    try:
        assert ex.workers() == 2
        deadline = time.monotonic() + 120
        while len(results) < len(names) and time.monotonic() < deadline:
            while queue and ex.free():
                ex.submit(_task(queue.pop(0)))
            for task, kind, value in ex.poll(0.1):
                if kind == "done":
                    results[task.name] = value
        assert ex.workers() == 2, "a bad item took a Dask worker down"
    finally:
        ex.close()
    assert results["hang"].code == "timeout"
    assert "8 s" in results["hang"].message
    assert results["hog"].code == "memory"
    assert results["segfault"].code == "crash"
    for name in ("ok-1", "ok-2", "ok-3"):
        assert results[name].message == f"finished {name}"


def test_a_worker_with_another_version_is_refused(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("hello")
    with LoopbackCluster(workers=0) as c:
        c.add_worker(env={"DOCKET_TEST_FAKE_VERSION": "9.9.9"}, preload="tests.fixtures.cluster")
        c.wait_for(1)
        run = docket(
            "ingest", tmp_path / "src", "--cluster", c.address, case=tmp_path / "case", check=False
        )
    assert run.returncode == 4, run.stderr
    message = " ".join(run.stderr.split())
    assert "version mismatch" in message
    assert "9.9.9" in message and "0.1.0" in message and "tcp://127.0.0.1:" in message
    assert docket_json("status", case=tmp_path / "case")["runs"] == []


def test_an_unreachable_scheduler_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    monkeypatch.setenv("DOCKET_CLUSTER_TIMEOUT", "2")
    (tmp_path / "src").mkdir()
    started = time.monotonic()
    run = docket(
        "ingest",
        tmp_path / "src",
        "--cluster",
        f"tcp://127.0.0.1:{port}",
        case=tmp_path / "case",
        check=False,
    )
    assert run.returncode == 4
    assert "cannot reach the Dask scheduler" in " ".join(run.stderr.split())
    assert time.monotonic() - started < 30
