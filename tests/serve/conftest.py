"""Fixtures for the desk: one sample case per test session (the demo cache, hostile files,
and rows standing in for the resolution and authenticity stages), a running server per
module, and a headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import docket

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "serve"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE_TEXT = [
    "Hostile memo <script>window.HACKED=1;document.title='pwned'</script>",
    '<img src="http://203.0.113.9/track.png" onerror="window.HACKED=2">',
    '<a href="javascript:window.HACKED=3">click javascript link</a>',
    '<iframe src="https://example.com/"></iframe> <svg onload="window.HACKED=4"></svg>',
]
HOSTILE_HTML = (
    '<html><head><script src="https://cdn.example.com/x.js"></script>'
    '<link rel=stylesheet href="https://fonts.example.com/f.css"></head>'
    '<body onload="window.HACKED=5"><p>Hostile page with words zebracorn.</p>'
    '<img src="https://203.0.113.9/beacon.gif"><a href="javascript:alert(1)">go</a>'
    "<p>&lt;script&gt;window.HACKED=6&lt;/script&gt; zebracorn</p></body></html>"
)


def catalogue_item(
    item_id: str, name: str, ftype: str, sha256: str | None = None
) -> dict[str, Any]:
    """A loose file's catalogue row, as ingest writes it, for cases written by a test."""
    return {
        "id": item_id,
        "path": ["cache", name],
        "name": name,
        "depth": 1,
        "type": ftype,
        "status": "ok",
        "sha256": sha256,
    }


DESK = "http://127.0.0.1:8765"


def desk_client(app: Any) -> Any:
    """A TestClient that talks as the desk's own pages do: to 127.0.0.1 (the desk answers
    only to its own names), its posts from that origin."""
    from fastapi.testclient import TestClient

    return TestClient(app, base_url=DESK, headers={"Origin": DESK})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _inject(db: Path) -> dict[str, Any]:
    """Rows the resolution and authenticity stages would write: a person linked from a
    name in the English letter, a payment relation, and one signal."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    letter = con.execute(
        "SELECT i.id, s.seq, s.text FROM items i JOIN segments s ON s.item_id = i.id "
        "WHERE i.name = 'transfer-request.docx' AND s.text LIKE '%Hassan Ibrahim al-Jubouri%' "
        "ORDER BY i.rowid LIMIT 1"
    ).fetchone()
    name = "Hassan Ibrahim al-Jubouri"
    start = letter["text"].index(name)
    with con:
        cur = con.execute(
            'INSERT INTO mentions (item_id, segment, start, "end", kind, text, value, method) '
            "VALUES (?, ?, ?, ?, 'person', ?, ?, 'test')",
            (letter["id"], letter["seq"], start, start + len(name), name, name),
        )
        mid = cur.lastrowid
        con.execute(
            "INSERT OR REPLACE INTO entities VALUES ('p-hassan', 'person', ?, ?, 1, NULL)",
            (name, json.dumps([name, "حسن إبراهيم الجبوري"], ensure_ascii=False)),
        )
        con.execute(
            "INSERT OR REPLACE INTO entities VALUES ('p-nuaimi', 'person', 'Abu Ammar al-Nuaimi', '[]', 1, NULL)"
        )
        con.execute(
            "INSERT OR REPLACE INTO entity_members VALUES ('p-hassan', ?)", (f"mention:{mid}",)
        )
        cur = con.execute(
            "INSERT INTO relations (item_id, kind, source, target, date, method) "
            "VALUES (?, 'payment', 'Abu Ammar al-Nuaimi', ?, '2019-03-02', 'test')",
            (letter["id"], name),
        )
        rid = cur.lastrowid
        con.execute(
            "INSERT OR REPLACE INTO entity_members VALUES ('p-nuaimi', ?)",
            (f"relation:{rid}:source",),
        )
        con.execute(
            "INSERT OR REPLACE INTO entity_members VALUES ('p-hassan', ?)",
            (f"relation:{rid}:target",),
        )
        con.execute(
            'INSERT INTO mentions (item_id, segment, start, "end", kind, text, value, method, attrs) '
            "VALUES (?, ?, 0, 4, 'date', 'date', '2019-02-20', 'test', ?)",
            (letter["id"], letter["seq"], json.dumps({"calendar": "hijri", "hijri": "1440-06-15"})),
        )
        con.execute(
            "INSERT INTO signals (item_id, kind, severity, detail) VALUES (?, 'metadata-date', 'medium', "
            "'created after the date in the text')",
            (letter["id"],),
        )
    con.close()
    return {"letter": letter["id"], "entity": "p-hassan", "name": name}


@pytest.fixture(scope="session")
def desk_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from docket.demo.generator import generate
    from docket.demo.writers.documents import make_docx

    root = tmp_path_factory.mktemp("desk")
    cache = root / "cache"
    generate(cache)
    hostile = cache / "hostile-web"
    hostile.mkdir()
    (hostile / "page.html").write_text(HOSTILE_HTML)
    (hostile / "memo.docx").write_bytes(make_docx(HOSTILE_TEXT, title="<script>x</script>"))
    case = root / "case"
    docket("ingest", cache, "--jobs", "2", case=case)
    info = _inject(case / "case.db")
    return {"case": case, **info}


@pytest.fixture(scope="module")
def server(desk_case: dict[str, Any]) -> Iterator[str]:
    yield from serve(desk_case["case"])


def serve(case: Path) -> Iterator[str]:
    """``docket serve`` on ``case`` in a process of its own; yields its address."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "docket", "serve", "--case", str(case), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(
                    proc.stderr.read() if proc.stderr else "serve exited"
                ) from None
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (scripts/system-deps.sh)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


# -- the workbench case (test_workbench*.py) ---------------------------------------------
LETTER_AR = (
    "بسم الله الرحمن الرحيم\n"
    "إلى السيد حسن إبراهيم الجبوري المحترم\n"
    "نرجو صرف مبلغ ١٥٠٠ دينار إلى أبو عمار النعيمي في الموصل بتاريخ 2019-03-02.\n"
    "وقد وافق المجلس على التحويل في الاجتماع الأخير، وتم إبلاغ مكتب الحسابات بذلك.\n"
    "والسلام عليكم ورحمة الله وبركاته\n"
)
# The same letter re-typed: one amount changed.
LETTER_AR_COPY = LETTER_AR.replace("١٥٠٠", "١٢٠٠")
LETTER_EN = (
    "From: Omar Khalid\nTo: Samir Haddad\nDate: 2018-11-05\n\n"
    "Samir Haddad met Omar Khalid in Baghdad on 5 November 2018 to discuss the transfer.\n"
    "Hassan Ibrahim al-Jubouri approved the payment of 1,500 dinars to the northern office.\n"
)
WATCHLIST = "name,aliases,notes\nHassan al-Jubouri;حسن الجبوري,,listed\nNobody Atall,,none\n"


@pytest.fixture(scope="session")
def workbench_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small ingested case: Arabic and English letters naming the same people, a
    re-typed copy (a near-duplicate), an exact copy and a broken PDF."""
    root = tmp_path_factory.mktemp("bench")
    src = root / "cache"
    src.mkdir()
    (src / "letter-ar.txt").write_text(LETTER_AR)
    (src / "letter-ar-retyped.txt").write_text(LETTER_AR_COPY)
    (src / "memo.txt").write_text(LETTER_EN)
    (src / "memo-copy.txt").write_text(LETTER_EN)
    (src / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    case = root / "case"
    docket("ingest", src, "--jobs", "1", case=case)
    return case
