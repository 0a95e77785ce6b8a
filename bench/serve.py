"""Bench the desk: p50/p95 latency of search pages (with facets), document pages and person
pages under concurrent clients on loopback.

    python bench/serve.py [--items 100000] [--clients 8] [--requests 400] [--jobs 2]

Items are many small generated text files (English and Arabic, with names), ingested
through the real ``docket ingest``; a few entities are written to the catalogue the way
the resolution stage would, so person pages have something to show."""

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
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

WORDS_EN = [
    "transfer",
    "payroll",
    "office",
    "salary",
    "ledger",
    "receipt",
    "weapons",
    "depot",
    "report",
    "meeting",
    "letter",
    "brother",
    "district",
    "finance",
    "bureau",
]
WORDS_AR = [
    "تحويل",
    "رواتب",
    "مكتب",
    "راتب",
    "سجل",
    "إيصال",
    "مستودع",
    "تقرير",
    "اجتماع",
    "رسالة",
    "الأخ",
    "قطاع",
    "مالية",
    "ديوان",
]
NAMES = [
    "Abu Ammar al-Nuaimi",
    "Hassan Ibrahim al-Jubouri",
    "Khalid bin Walid al-Obaidi",
    "أبو يوسف الأنصاري",
    "سمير عبد الله",
    "Samir Abdullah",
]


def make_cache(root: Path, n: int) -> None:
    rnd = random.Random(1)
    for i in range(n):
        folder = root / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        words = WORDS_AR if i % 3 == 0 else WORDS_EN
        body = " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 120)))
        (folder / f"doc{i}.txt").write_text(f"{rnd.choice(NAMES)} {body} {rnd.choice(NAMES)}\n")


def add_entities(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    ids = []
    with con:
        for k, name in enumerate(NAMES):
            eid = f"bench-{k}"
            ids.append(eid)
            con.execute(
                "INSERT OR REPLACE INTO entities VALUES (?, 'person', ?, '[]', 0, NULL)",
                (eid, name),
            )
            rows = con.execute(
                "SELECT item_id, seq, text FROM segments WHERE text LIKE ? LIMIT 300",
                (f"%{name}%",),
            ).fetchall()
            for item_id, seq, text in rows:
                start = text.index(name)
                cur = con.execute(
                    'INSERT INTO mentions (item_id, segment, start, "end", kind, text, value, method) '
                    "VALUES (?, ?, ?, ?, 'person', ?, ?, 'bench')",
                    (item_id, seq, start, start + len(name), name, name),
                )
                con.execute(
                    "INSERT OR IGNORE INTO entity_members VALUES (?, ?)",
                    (eid, f"mention:{cur.lastrowid}"),
                )
    con.close()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(client: httpx.Client, url: str) -> float:
    t = time.perf_counter()
    r = client.get(url)
    r.raise_for_status()
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=400, help="requests per page kind")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--case", type=Path, help="reuse (or keep) the case here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docket-bench-serve-"))
    case = args.case or work / "case"
    docket = [sys.executable, "-m", "docket"]
    if not (case / "case.db").exists():
        t = time.perf_counter()
        make_cache(work / "cache", args.items)
        subprocess.run(
            [*docket, "ingest", str(work / "cache"), "--jobs", str(args.jobs), "--case", str(case)],
            check=True,
            capture_output=True,
        )
        print(f"ingested {args.items} items in {time.perf_counter() - t:.0f} s")
        add_entities(case / "case.db")
    con = sqlite3.connect(case / "case.db")
    item_ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM items WHERE type = 'text' ORDER BY random() LIMIT 2000"
        )
    ]
    entity_ids = [r[0] for r in con.execute("SELECT id FROM entities")]
    total = con.execute("SELECT count(*) FROM items").fetchone()[0]
    con.close()
    port = free_port()
    server = subprocess.Popen(
        [*docket, "serve", "--case", str(case), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/search", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        rnd = random.Random(2)
        queries = [
            rnd.choice(WORDS_EN + WORDS_AR)
            + (" " + rnd.choice(WORDS_EN) if rnd.random() < 0.3 else "")
            for _ in range(args.requests)
        ]
        kinds = {
            "search+facets": [f"{base}/search?q={quote(q)}" for q in queries],
            "document": [
                f"{base}/item/{rnd.choice(item_ids)}?q=transfer" for _ in range(args.requests)
            ],
            "person": [f"{base}/person/{rnd.choice(entity_ids)}" for _ in range(args.requests)]
            if entity_ids
            else [],
        }
        results = {}
        with httpx.Client(timeout=60, limits=httpx.Limits(max_connections=args.clients)) as client:
            timed(client, kinds["search+facets"][0])  # warm the index reader
            for kind, urls in kinds.items():
                if not urls:
                    continue
                t = time.perf_counter()
                with ThreadPoolExecutor(args.clients) as pool:
                    lat = sorted(pool.map(lambda u: timed(client, u), urls))
                wall = time.perf_counter() - t
                results[kind] = {
                    "n": len(lat),
                    "p50_ms": round(statistics.median(lat), 1),
                    "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 1),
                    "req_per_s": round(len(lat) / wall, 1),
                }
        print(
            json.dumps(
                {
                    "items": total,
                    "clients": args.clients,
                    "nproc": os.cpu_count(),
                    "results": results,
                },
                indent=2,
            )
        )
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
