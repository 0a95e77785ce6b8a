"""``docket ingest --cluster`` into a server case: a real Dask cluster on loopback, the
catalogue in PostgreSQL, the blobs on the server's storage; the same items and hits as a
local ingest of the same sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from tests.fixtures.cluster import LoopbackCluster
from tests.newsroom.helpers import ARABIC, ENGLISH, as_json, docket, init_server, sources


def test_cluster_ingest_into_a_server_case(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_server(tmp_path, pg_url, monkeypatch)
    docket("case", "create", "c")
    src = sources(tmp_path, "src", {"a.txt": ARABIC, "b.txt": ENGLISH, "c.txt": ENGLISH + " 2"})
    local = str(tmp_path / "local")
    docket("--case", local, "ingest", str(src))
    with LoopbackCluster(workers=1) as cluster:
        docket("--case", "server:c", "ingest", str(src), "--cluster", cluster.address)

    def listed(case: str) -> list[tuple[str, str, str]]:
        lines = docket("--case", case, "list", "--json").stdout.splitlines()
        return sorted((i["id"], i["sha256"], i["status"]) for i in map(json.loads, lines))

    assert listed("server:c") == listed(local)
    for q in ("المدفوعات", "office"):
        server_hits = as_json(docket("--case", "server:c", "search", q, "--json"))
        local_hits = as_json(docket("--case", local, "search", q, "--json"))
        assert sorted(h["id"] for h in server_hits["hits"]) == sorted(
            h["id"] for h in local_hits["hits"]
        )
    docket("--case", "server:c", "verify")
