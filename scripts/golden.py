"""Snapshot what a case shows through the CLI's JSON, for before/after comparisons.

A refactoring must not change what a user sees. Run this against the demo case built by
the old code and by the new code, then diff the two folders:

    python scripts/golden.py --case OLD_CASE --out before
    python scripts/golden.py --case NEW_CASE --out after
    diff -r before after

Each command's JSON is written with keys and lists sorted (a lineage's order kept) and with volatile values (times, run numbers,
durations, absolute temporary paths) replaced, so only real differences remain.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

QUERIES = [
    "transfer OR payroll",
    "النعيمي",
    "Nuaimi",
    '"transfer request"',
    "type:xlsx",
    "date:2019*",
]
VOLATILE_KEYS = {"started", "finished", "time", "elapsed", "runs", "run_id", "score"}
ORDERED_KEYS = {"path"}  # a lineage's order is its meaning
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")
ROWID = re.compile(r"^(docket-(?:letter|mention|payment))-\d+$")  # numbered in commit order


def docket(case: Path, *args: str) -> str:
    cmd = [sys.executable, "-c", "from docket.cli.main import main; main()", *args]
    done = subprocess.run([*cmd, "--case", str(case)], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def scrub(value: Any, case: Path) -> Any:
    if isinstance(value, dict):
        return {
            k: v if k in ORDERED_KEYS else "<n>" if _rowid(k, v) else scrub(v, case)
            for k, v in sorted(value.items())
            if k not in VOLATILE_KEYS
        }
    if isinstance(value, list):
        # Rows written by parallel workers arrive in any order: compare sets, not order.
        items = [scrub(v, case) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(value, str):
        value = ROWID.sub(r"\1-<n>", value.replace(str(case), "<case>"))
        return TIME.sub("<time>", value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def _rowid(key: str, value: Any) -> bool:
    """A catalogue row number (a mention's, a record's): numbered in commit order."""
    return key == "id" and isinstance(value, int)


def lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def snapshot(case: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)

    def write(name: str, value: Any) -> None:
        text = json.dumps(scrub(value, case), ensure_ascii=False, indent=1, sort_keys=True)
        (out / f"{name}.json").write_text(text + "\n")

    status = json.loads(docket(case, "status", "--json"))
    write("status", {k: status[k] for k in ("items", "bytes", "by_status", "by_type", "failures")})
    write("list", sorted(lines(docket(case, "list", "--json")), key=lambda r: r["id"]))
    for n, query in enumerate(QUERIES):
        write(f"search-{n}", json.loads(docket(case, "search", query, "--limit", "50", "--json")))
    entities = json.loads(docket(case, "entities", "--json"))
    write("entities", entities)
    rows = entities if isinstance(entities, list) else entities.get("entities", [])
    for entity in rows[:10]:
        write(f"person-{entity['id']}", json.loads(docket(case, "person", entity["id"], "--json")))
    write("export-ftm", sorted(lines(docket(case, "export", "ftm")), key=lambda r: r["id"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    snapshot(args.case.resolve(), args.out)


if __name__ == "__main__":
    main()
