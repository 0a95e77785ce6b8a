"""Bench the desk: p50/p95 latency of the case overview (``/``), search pages (with facets),
document pages, person pages and network pages (five filter variants repeated, and ego
networks of people never asked before) under concurrent clients on loopback, with the
server's CPU per request (all its processes: what other programs on a busy machine do not
change) and the load average before and after.

    .venv/bin/python bench/serve.py [--items 100000] [--clients 8] [--requests 400]
                                    [--workers N] [--case DIR]

The case is built once into ``bench/out/serve-<items>/`` (git-ignored) and reused by
later runs. It is not ingested: ``bench/serve_case.py`` writes the catalogue and the
tantivy index directly through Docket's own index-writing code (the rows and index
documents ``docket ingest`` would leave): 100,000 items in about 15 minutes on two busy
cores; see its docstring for what the items hold. When a newer Docket changed the index
format (opening the case then drops the index), the index is rebuilt from the catalogue
(about 10 minutes). No original bytes are stored, so downloads and page images are not
measured.

Search queries come in two series: each query made unique (so the desk's cache, keyed on
the case's generation, never answers: the first-time cost), and a few dozen queries
repeated (an analyst paging and refining). Timings on a shared machine are noisy: run it
twice and read the load average it prints."""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.serve_case import AR, EN, build, reindex
from docket.case import Case
from docket.store import links

OUT = Path(__file__).resolve().parent / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(client: httpx.Client, url: str) -> float:
    t = time.perf_counter()
    r = client.get(url)
    r.raise_for_status()
    return (time.perf_counter() - t) * 1000


def network_urls(base: str, case: Path, n: int) -> tuple[list[str], dict[str, list[str]]]:
    """The network page: the filter variants an analyst tries first, again and again (the
    desk's cache answers after each one's first load, which is timed on its own), and
    ego networks of people picked at random, depth 1 or 2, nearly each one new."""
    con = sqlite3.connect(case / "case.db")
    people = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY mentions DESC")]
    con.close()
    if not people:
        return [], {}
    variants = [
        f"{base}/network",
        f"{base}/network?min_weight=5",
        f"{base}/network?kind=correspondence",
        f"{base}/network?date_from=2018-03-01&date_to=2018-06-30",
        f"{base}/network?person={people[0]}&depth=2",  # the most mentioned person
    ]
    # Each ego network a person never asked before (at either depth): the warm-up before
    # the timed series asks about others.
    fresh = random.Random(3).sample(people[1:], min(len(people) - 1, n // 4 + 8))
    return variants, {
        "network (repeated filters)": [variants[i % len(variants)] for i in range(n)],
        "network (ego, each new)": [
            f"{base}/network?person={p}&depth={1 + i % 2}" for i, p in enumerate(fresh)
        ],
    }


def server_cpu(pid: int) -> float:
    """Seconds of CPU the server and its worker processes have used so far."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=400, help="requests per page kind")
    ap.add_argument("--workers", type=int, default=0, help="serve --workers (0: its default)")
    ap.add_argument("--case", type=Path, help="the case folder (built there when missing)")
    ap.add_argument("--build-only", action="store_true")
    args = ap.parse_args()
    case = args.case or OUT / f"serve-{args.items}"
    docket = [sys.executable, "-m", "docket"]
    if not (case / "case.db").exists():
        build(case, args.items)
    else:
        built = Case.open(case)
        stale = built.index_stale or built.catalogue.count("indexed = 0")
        built.catalogue.close()
        if stale:
            reindex(case)  # a newer index format: the old index is dropped and rebuilt
    built = Case.open(case)
    links.ensure(built.catalogue.db)  # a case built before entity_links: counted once, here
    built.catalogue.close()
    if args.build_only:
        return
    con = sqlite3.connect(case / "case.db")
    item_ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM items WHERE type != 'zip' ORDER BY random() LIMIT 2000"
        )
    ]
    entity_ids = [r[0] for r in con.execute("SELECT id FROM entities WHERE mentions > 0")]
    total = con.execute("SELECT count(*) FROM items").fetchone()[0]
    con.close()
    port = free_port()
    load_before = [round(x, 1) for x in os.getloadavg()]
    server = subprocess.Popen(
        [*docket, "serve", "--case", str(case), "--port", str(port)]
        + (["--workers", str(args.workers)] if args.workers else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/search", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        rnd = random.Random(2)
        queries = [
            rnd.choice(EN + AR) + (" " + rnd.choice(EN) if rnd.random() < 0.3 else "")
            for _ in range(args.requests)
        ]
        kinds = {
            # Each query made unique (excluding a word no item has), so no answer is
            # served from the desk's per-generation cache: the first-time cost.
            "search+facets": [
                f"{base}/search?q={quote(f'{q} -zzq{i}')}" for i, q in enumerate(queries)
            ],
            # The same few dozen queries again and again (paging back, refining).
            "search+facets (repeated)": [f"{base}/search?q={quote(q)}" for q in queries],
            "document": [
                f"{base}/item/{rnd.choice(item_ids)}?q=transfer" for _ in range(args.requests)
            ],
            "person": [f"{base}/person/{rnd.choice(entity_ids)}" for _ in range(args.requests)]
            if entity_ids
            else [],
            # The case overview: computed once per desk process until the case changes.
            "overview": [f"{base}/"] * args.requests,
        }
        variants, network = network_urls(base, case, args.requests)
        kinds.update(network)
        results = {}
        with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=args.clients)) as client:
            # Before anything warms the desk: each network variant's first, uncached load.
            network_first = {u.removeprefix(base): round(timed(client, u)) for u in variants}
            overview_first = round(timed(client, f"{base}/"))
            for kind, urls in kinds.items():  # each worker opens its case and index reader
                # (the ego series: its last 8 people, kept out of the timed series)
                for u in urls[-8:]:
                    timed(client, u.replace("zzq", "zzw"))
                if kind == "network (ego, each new)":
                    del urls[-8:]
            for kind, urls in kinds.items():
                if not urls:
                    continue
                t = time.perf_counter()
                cpu = server_cpu(server.pid)
                with ThreadPoolExecutor(args.clients) as pool:
                    lat = sorted(pool.map(lambda u: timed(client, u), urls))
                cpu = server_cpu(server.pid) - cpu
                wall = time.perf_counter() - t
                results[kind] = {
                    "n": len(lat),
                    "p50_ms": round(statistics.median(lat), 1),
                    "p95_ms": round(lat[max(0, int(len(lat) * 0.95) - 1)], 1),
                    "req_per_s": round(len(lat) / wall, 1),
                    # The server's CPU (all its processes) per request: what the load
                    # of other programs on the machine does not change.
                    "server_cpu_ms_per_request": round(cpu * 1000 / len(lat), 1),
                }
        print(
            json.dumps(
                {
                    "items": total,
                    "clients": args.clients,
                    "nproc": os.cpu_count(),
                    "load_average_before": load_before,
                    "load_average_after": [round(x, 1) for x in os.getloadavg()],
                    "workers": args.workers or "serve's default (one per core)",
                    "results": results,
                    "network_first_load_ms": network_first,
                    "overview_first_load_ms": overview_first,
                },
                indent=2,
            )
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
