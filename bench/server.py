"""Bench the newsroom server: scripted analysts, each logged in with an account of their
own, searching and opening documents at once on one server case; prints p50/p95 per kind
of request and the server's peak RSS (every process of it).

    .venv/bin/python bench/server.py [--items 100000] [--analysts 20] [--rounds 20]
                                     [--database postgresql://…] [--workers N] [--keep]

The case is ``bench/serve_case.py``'s (built once into ``bench/out/serve-<items>/``, see
``bench/serve.py``), copied into a server case: its catalogue rows into PostgreSQL, its
index as it is. Without ``--database`` a throwaway PostgreSQL cluster is started in a
temporary folder (``initdb``/``pg_ctl`` on a unix socket; as ``nobody`` when run as root).
Every request goes through the login layer, the role check and the audit trail, as on a
real server. Timings on a shared machine are noisy: read the load average it prints."""

from __future__ import annotations

import argparse
import json
import os
import pwd
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.serve_case import AR, EN, build
from docket.case import Case
from docket.newsroom import config, registry
from docket.newsroom.accounts import Server
from docket.newsroom.transfer import _copy_rows

OUT = Path(__file__).resolve().parent / "out"
PASSWORD = "bench password 1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def throwaway_cluster(base: Path | None = None) -> tuple[str, list[str]]:
    """A PostgreSQL cluster in a temporary folder (or ``base``, kept: started again if it
    is there already); (URL, the command that stops it)."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    pg_bin = bins[0] if bins else Path(shutil.which("initdb") or "initdb").parent
    if base is None:
        base = Path(tempfile.mkdtemp(prefix="docket-bench-pg-"))
    base.mkdir(parents=True, exist_ok=True)
    run: list[str] = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        run = ["runuser", "-u", "nobody", "--"]
    data = str(base / "data")
    if not (base / "data" / "PG_VERSION").exists():
        subprocess.run([*run, str(pg_bin / "initdb"), "-D", data, "-A", "trust", "-U", "docket",
                        "-E", "UTF8", "--no-sync"], check=True, capture_output=True)  # fmt: skip
    opts = f"-k {base} -c listen_addresses='' -c max_connections=200"
    subprocess.run([*run, str(pg_bin / "pg_ctl"), "-D", data, "-o", opts, "-w", "-l",
                    str(base / "log"), "start"], check=True, capture_output=True)  # fmt: skip
    return f"postgresql://docket@/postgres?host={base}", [
        *run, str(pg_bin / "pg_ctl"), "-D", data, "-m", "fast", "stop",
    ]  # fmt: skip


def server_case(local: Path, database: str, storage: Path, analysts: int) -> None:
    """The bench case as server case ``bench``, and ``analysts`` readers of it."""
    os.environ[config.CONFIG_ENV] = str(storage / "server.json")
    registry.migrate(database)
    (storage / "cases").mkdir(parents=True, exist_ok=True)
    cfg = config.ServerConfig(database, storage)
    config.save(cfg)
    server = Server(cfg)
    server.create_case("bench", actor="bench")
    src = Case.open(local, readonly=True, repair_index=False)
    dst = Case.open(cfg.case_root("bench"), repair_index=False)
    _copy_rows(src.catalogue, dst.catalogue)
    version = src.catalogue.get_meta("index_version") or ""
    dst.catalogue.set_meta("index_version", version)
    dst.catalogue.db.execute("UPDATE items SET indexed = 1")
    src.close()
    dst.close()
    shutil.copytree(local / "index", cfg.case_root("bench") / "index")
    for n in range(analysts):
        name = f"analyst{n:02d}"
        server.add_user(name, PASSWORD, admin=False, actor="bench")
        server.grant(name, "bench", "reader", actor="bench")
    server.close()


def rss_mb(pid: int) -> list[float]:
    """Peak RSS (VmHWM) of the server's processes (with ``--workers``, the supervisor
    and each worker), in MB."""
    import psutil

    root = psutil.Process(pid)
    out = []
    for p in [root, *root.children(recursive=True)]:
        try:
            status = Path(f"/proc/{p.pid}/status").read_text()
        except OSError:
            continue
        out += [int(x.split()[1]) / 1024 for x in status.splitlines() if x.startswith("VmHWM:")]
    return out


def login(base: str, n: int) -> str:
    """Analyst ``n``'s session cookie. The server takes 10 logins a minute from one
    address (all the bench's analysts share 127.0.0.1): wait for the window, as a
    newsroom's analysts arriving over a few minutes would not notice."""
    for _ in range(60):
        r = httpx.post(base + "/login", data={"user": f"analyst{n:02d}", "password": PASSWORD},
                       headers={"Origin": base}, timeout=120)  # fmt: skip
        if r.status_code == 303:
            # The cookie is Secure; on loopback without TLS, send it by hand.
            return r.headers["set-cookie"].split(";")[0]
        assert r.status_code == 429, (r.status_code, r.text)
        time.sleep(5)
    raise SystemExit(f"analyst{n:02d} could not log in")


def analyst(
    base: str, n: int, rounds: int, item_ids: list[str], cookie: str
) -> dict[str, list[float]]:
    rnd = random.Random(n)
    lat: dict[str, list[float]] = {"search": [], "document": []}
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as c:
        c.headers["Cookie"] = cookie
        assert c.get("/cases/bench").status_code == 303, "the analyst cannot open the case"
        for i in range(rounds):
            q = rnd.choice(EN + AR) + f" -zzq{n}x{i}"  # unique: never from the cache
            t = time.perf_counter()
            c.get(f"/search?q={quote(q)}").raise_for_status()
            lat["search"].append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            c.get(f"/item/{rnd.choice(item_ids)}?q=transfer").raise_for_status()
            lat["document"].append((time.perf_counter() - t) * 1000)
    return lat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--analysts", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=20, help="searches (and documents) each")
    ap.add_argument("--database", help="an empty PostgreSQL database (default: a throwaway one)")
    ap.add_argument("--workers", type=int, default=0, help="serve's (0: one per core)")
    ap.add_argument(
        "--keep", action="store_true",
        help=f"keep the server (cluster and storage) in {OUT}/server-ITEMS/ and use it again "
        "next time: copying 100,000 items into PostgreSQL takes a quarter of an hour",
    )  # fmt: skip
    args = ap.parse_args()
    local = OUT / f"serve-{args.items}"
    if not (local / "case.db").exists():
        build(local, args.items)
    stop: list[str] | None = None
    database = args.database
    kept = OUT / f"server-{args.items}" if args.keep else None
    if database is None:
        database, stop = throwaway_cluster(kept / "pg" if kept else None)
    storage = kept / "storage" if kept else Path(tempfile.mkdtemp(prefix="docket-bench-storage-"))
    proc = None
    try:
        t = time.perf_counter()
        if kept and (kept / "ready").exists():
            os.environ[config.CONFIG_ENV] = str(storage / "server.json")
            # a case kept from before its copy gathered statistics (``case push`` does now)
            kept_case = Case.open(config.load().case_root("bench"), repair_index=False)
            getattr(kept_case.catalogue, "analyze", lambda: None)()
            kept_case.close()
        else:
            if kept:
                shutil.rmtree(storage, ignore_errors=True)
                storage.mkdir(parents=True)
            server_case(local, database, storage, args.analysts)
            if kept:
                (kept / "ready").write_text(database)
        print(f"server case ready in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        src = Case.open(local, readonly=True, repair_index=False)
        item_ids = [r[0] for r in src.catalogue.db.execute(
            "SELECT id FROM items WHERE type != 'zip' ORDER BY random() LIMIT 2000")]  # fmt: skip
        src.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "docket", "serve", "--server", "--port", str(port),
             "--workers", str(args.workers)],
            env={**os.environ}, stdout=subprocess.DEVNULL, stderr=open(OUT / "server-bench.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        for _ in range(300):
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        cookies = [login(base, n) for n in range(args.analysts)]
        load_before = [round(x, 1) for x in os.getloadavg()]
        t = time.perf_counter()
        with ThreadPoolExecutor(args.analysts) as pool:
            runs = list(pool.map(lambda n: analyst(base, n, args.rounds, item_ids, cookies[n]),
                                 range(args.analysts)))  # fmt: skip
        wall = time.perf_counter() - t
        rss = rss_mb(proc.pid)
        results = {}
        for kind in ("search", "document"):
            lat = sorted(x for r in runs for x in r[kind])
            results[kind] = {
                "n": len(lat),
                "p50_ms": round(statistics.median(lat), 1),
                "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 1),
            }
        every = sorted(x for r in runs for k in r for x in r[k])
        print(json.dumps({
            "items": args.items, "analysts": args.analysts, "nproc": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": [round(x, 1) for x in os.getloadavg()],
            "results": results,
            "p95_ms_all": round(every[int(len(every) * 0.95) - 1], 1),
            "req_per_s": round(len(every) / wall, 1),
            # each process's peak, summed: the supervisor's, and each worker's
            "server_peak_rss_mb": round(sum(rss), 1),
            "server_processes_peak_rss_mb": [round(x, 1) for x in rss],
        }, indent=2))  # fmt: skip
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(20)
        if stop:
            subprocess.run(stop, capture_output=True)
            if not kept:  # the throwaway cluster's folder (gigabytes at 100,000 items)
                shutil.rmtree(database.split("host=", 1)[1], ignore_errors=True)
        if not kept:
            shutil.rmtree(storage, ignore_errors=True)


if __name__ == "__main__":
    main()
