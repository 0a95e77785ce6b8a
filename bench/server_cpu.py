"""CPU per request of the newsroom server against the local desk, on one small case.

    .venv/bin/python bench/server_cpu.py [--items 5000] [--requests 200] [--only local|server]

The same searches and document views as ``bench/server.py``'s analysts, one at a time
(no concurrency: what each request costs, not how they queue), in process through a
test client: once on the local case (``bench/out/serve-ITEMS``, SQLite), once on the
same case copied into a server case (``bench/out/server-cpu-ITEMS``, kept; a throwaway
PostgreSQL cluster in it, started and stopped). Prints per kind the CPU milliseconds
a request costs the Python process and, in server mode, the PostgreSQL backends too
(their utime+stime from ``/proc``): CPU time, not wall time, so that the figures hold on a
shared machine. For where the time goes, run it under a sampling profiler (``py-spy
record``): the requests run in the app's worker threads, which cProfile does not see."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fastapi.testclient import TestClient

from bench.serve_case import AR, EN, build
from bench.server import OUT, PASSWORD, server_case, throwaway_cluster
from docket.case import Case
from docket.newsroom import config

HOST = "127.0.0.1"
TICK = os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """CPU seconds of this process (every thread)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def pg_cpu(base: Path) -> float:
    """CPU seconds of the cluster's processes (the postmaster and its children)."""
    pid_file = base / "data" / "postmaster.pid"
    try:
        master = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(proc.name) == master or int(fields[1]) == master:
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def requests(item_ids: list[str], n: int, seed: int = 7) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        q = rnd.choice(EN + AR) + f" -zzq{seed}x{i}"  # unique: never from the cache
        out.append(("search", f"/search?q={quote(q)}"))
        out.append(("document", f"/item/{rnd.choice(item_ids)}?q=transfer"))
    return out


def measure(c: TestClient, plan: list[tuple[str, str]], pg: Path | None) -> dict[str, Any]:
    spent: dict[str, list[float]] = {"search": [0.0, 0.0, 0.0], "document": [0.0, 0.0, 0.0]}
    counts = {"search": 0, "document": 0}
    for kind, url in plan:
        p = pg_cpu(pg) if pg else 0.0  # (outside the Python figure: it scans /proc)
        t = own_cpu()
        w = time.perf_counter()
        r = c.get(url)
        w = time.perf_counter() - w
        spent[kind][0] += own_cpu() - t
        spent[kind][1] += (pg_cpu(pg) - p) if pg else 0.0
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        spent[kind][2] += w
        counts[kind] += 1
    return {
        k: {
            "python_cpu_ms": round(v[0] / counts[k] * 1000, 2),
            "postgres_cpu_ms": round(v[1] / counts[k] * 1000, 2),
            "wall_ms": round(v[2] / counts[k] * 1000, 2),
        }
        for k, v in spent.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--requests", type=int, default=200, help="searches (and documents)")
    ap.add_argument("--only", choices=("local", "server"), help="measure one mode only")
    args = ap.parse_args()
    local = OUT / f"serve-{args.items}"
    if not (local / "case.db").exists():
        build(local, args.items)
    src = Case.open(local, readonly=True, repair_index=False)
    item_ids = [r[0] for r in src.catalogue.db.execute(
        "SELECT id FROM items WHERE type != 'zip' ORDER BY id")]  # fmt: skip
    src.close()
    item_ids = random.Random(3).sample(item_ids, min(2000, len(item_ids)))
    warm = requests(item_ids, 20, seed=1)
    plan = requests(item_ids, args.requests)
    out: dict[str, Any] = {"items": args.items, "requests_per_kind": args.requests}

    if args.only != "server":
        from docket.serve.app import create_app

        with TestClient(create_app(local), base_url=f"http://{HOST}") as c:
            measure(c, warm, None)
            out["local"] = measure(c, plan, None)

    if args.only != "local":
        kept = OUT / f"server-cpu-{args.items}"
        database, stop = throwaway_cluster(kept / "pg")
        storage = kept / "storage"
        try:
            if (kept / "ready").exists():
                os.environ[config.CONFIG_ENV] = str(storage / "server.json")
            else:
                storage.mkdir(parents=True, exist_ok=True)
                server_case(local, database, storage, 1)
                (kept / "ready").write_text(database)
            from docket.serve.server_mode import build as build_server

            app = build_server(config.load(), hosts=[HOST])
            origin = {"Origin": f"https://{HOST}"}
            with TestClient(app, base_url=f"https://{HOST}", headers=origin,
                            follow_redirects=False) as c:  # fmt: skip
                r = c.post("/login", data={"user": "analyst00", "password": PASSWORD})
                assert r.status_code == 303, r.text
                assert c.get("/cases/bench").status_code == 303
                measure(c, warm, kept / "pg")
                out["server"] = measure(c, plan, kept / "pg")
        finally:
            subprocess.run(stop, capture_output=True)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
