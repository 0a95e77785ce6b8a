"""The Dask executor on a real cluster on loopback (one scheduler, two worker processes):
the same results as the local pool, a worker SIGKILLed mid-run loses nothing, an item that
keeps killing its worker is recorded ``worker-lost``, limits apply on workers as in local
mode (one bad item never fails the rest of its batch), TLS with client certificates works,
and an unusable cluster is a clear error."""

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
from tests.fixtures.cluster import LoopbackCluster, make_certificates
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
    results: dict[str, Any] = {}
    batches: list[list[str]] = []

    def run(names: list[str]) -> None:
        queue = list(names)
        deadline = time.monotonic() + 120
        while not set(names) <= set(results) and time.monotonic() < deadline:
            while queue and ex.free():
                ex.submit(_task(queue.pop(0)))
            events = ex.poll(0.1)
            batches.extend(ex.batches())
            for task, kind, value in events:
                if kind == "done":
                    results[task.name] = value

    try:
        assert ex.workers() == 2
        # Quick items first: once their times are known, items travel in batches.
        run([f"warm-{i}" for i in range(12)])
        assert ex.batch_size() > 1
        batches.clear()
        run(["ok-1", "hang", "ok-2", "hog", "ok-3", "segfault", "ok-4"])
        assert ex.workers() == 2, "a bad item took a Dask worker down"
    finally:
        ex.close()
    bad, good = {"hang", "hog", "segfault"}, {"ok-1", "ok-2", "ok-3", "ok-4"}
    assert any(bad & set(b) and good & set(b) for b in batches), batches
    assert results["hang"].code == "timeout"
    assert "8 s" in results["hang"].message
    assert results["hog"].code == "memory"
    assert results["segfault"].code == "crash"
    for name in ("ok-1", "ok-2", "ok-3", "ok-4"):
        assert results[name].message == f"finished {name}"


def test_an_item_that_keeps_killing_its_worker_is_recorded_worker_lost(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(40):
        (src / f"doc-{i:03d}.txt").write_text(f"record {i} of the ledger\n")
    (src / "poison.txt").write_text("this file takes its Dask worker down\n")
    # The preload makes a worker process SIGKILL itself when handed poison.txt; Dask
    # gives up on a task after allowed-failures + 1 lost workers: here at once, so the
    # items sharing a task with poison.txt, or waiting behind it on its worker, are
    # given up on too, and must end ok when run again alone.
    with LoopbackCluster(
        workers=2,
        scheduler_env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"},
        worker_env={"DOCKET_TEST_KILL_WORKER_ON": "poison.txt"},
        preload="tests.fixtures.cluster",
    ) as c:
        run = docket("ingest", src, "--cluster", c.address, case=tmp_path / "case", check=False)
        assert run.returncode == 0, run.stderr + c.logs()
        log = (c.tmp / "scheduler-0.log").read_text()
        given_up = log.count("marked as failed because 1 workers died")
    items = {Path(i["path"][-1]).name: i for i in docket_lines("list", case=tmp_path / "case")}
    assert len(items) == 41
    poison = items.pop("poison.txt")
    assert (poison["status"], poison["code"]) == ("failed", "worker-lost")
    assert "died" in poison["message"]
    assert given_up >= 2  # once in a task with others (or alongside them), once alone
    assert {(i["status"], i["code"]) for i in items.values()} == {("ok", None)}
    runs = docket_json("status", case=tmp_path / "case")["runs"]
    assert [r["status"] for r in runs] == ["completed"]


def test_ingest_over_tls_with_client_certificates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    certs = make_certificates(tmp_path / "tls")
    rogue = make_certificates(tmp_path / "rogue", roles=("client",))  # another CA's
    src = tmp_path / "src"
    src.mkdir()
    (src / "memo.txt").write_text("the encrypted channel carried this memo\n")
    monkeypatch.setenv("DOCKET_CLUSTER_TIMEOUT", "5")
    mine = {
        "DOCKET_CLUSTER_TLS_CA_FILE": certs.ca,
        "DOCKET_CLUSTER_TLS_CERT": certs.cert("client"),
        "DOCKET_CLUSTER_TLS_KEY": certs.key("client"),
    }

    def ingest(case: str, env: dict[str, str]) -> Any:
        with monkeypatch.context() as m:
            for name, value in env.items():
                m.setenv(name, value)
            return docket("ingest", src, "--cluster", c.address, case=tmp_path / case, check=False)

    with LoopbackCluster(workers=1, tls=certs) as c:
        assert c.address.startswith("tls://127.0.0.1:")
        run = ingest("case", mine)
        assert run.returncode == 0, run.stderr + c.logs()
        # The same files through Dask's own configuration instead of Docket's settings.
        dask_config = {
            "DASK_DISTRIBUTED__COMM__TLS__CA_FILE": certs.ca,
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__CERT": certs.cert("client"),
            "DASK_DISTRIBUTED__COMM__TLS__CLIENT__KEY": certs.key("client"),
        }
        assert ingest("case-dask-config", dask_config).returncode == 0
        refused = {
            "no certificates": ingest("x1", {}),
            "another CA's client certificate": ingest(
                "x2",
                {
                    **mine,
                    "DOCKET_CLUSTER_TLS_CERT": rogue.cert("client"),
                    "DOCKET_CLUSTER_TLS_KEY": rogue.key("client"),
                },
            ),
            "the wrong CA": ingest("x3", {**mine, "DOCKET_CLUSTER_TLS_CA_FILE": rogue.ca}),
        }
    for case in ("case", "case-dask-config"):
        runs = docket_json("status", case=tmp_path / case)["runs"]
        assert runs[0]["executor"] == f"dask:{c.address} (1 workers, 1 threads)"
        assert docket_json("search", "memo", case=tmp_path / case)["total"] == 1
    messages = {why: " ".join(run.stderr.split()) for why, run in refused.items()}
    assert {why: run.returncode for why, run in refused.items()} == dict.fromkeys(refused, 4)
    assert "is a TLS address: set cluster_tls_ca_file" in messages["no certificates"]
    for why in ("another CA's client certificate", "the wrong CA"):
        assert "TLS handshake with the Dask scheduler" in messages[why], messages[why]
    for name in ("x1", "x2", "x3"):
        assert docket_json("status", case=tmp_path / name)["runs"] == []


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
