"""The newsroom commands end to end against a real PostgreSQL: a server case behaves like
a case folder for ingest, search, show, status, list, entities and verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.newsroom.helpers import ARABIC, ENGLISH, as_json, docket, init_server, sources


@pytest.fixture
def server(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    return init_server(tmp_path, pg_url, monkeypatch)


def test_newsroom_commands(server: Path, tmp_path: Path) -> None:
    docket("user", "add", "amira", "--role", "admin", "--password-stdin", input="correct horse 1\n")
    docket("user", "add", "sam", "--password-stdin", input="battery staple 2\n")
    docket("case", "create", "raqqa-drive")
    docket("grant", "sam", "raqqa-drive", "reader")
    assert [c["name"] for c in as_json(docket("case", "list", "--json"))] == ["raqqa-drive"]

    src = sources(tmp_path, "drive", {"a.txt": ARABIC, "b.txt": ENGLISH})
    case = ["--case", "server:raqqa-drive"]
    docket(*case, "ingest", str(src))
    # the catalogue is in PostgreSQL; the blobs and the index on the server's storage
    root = server / "cases" / "raqqa-drive"
    assert not (root / "case.db").exists() and (root / "index" / "meta.json").exists()
    assert json.loads((root / "catalogue.json").read_text())["schema"] == "case_raqqa_drive"

    status = as_json(docket(*case, "status", "--json"))
    assert status["items"] == 2 and status["by_status"] == {"ok": 2}
    hits = as_json(docket(*case, "search", "المدفوعات", "--json"))
    assert hits["total"] == 1
    item = hits["hits"][0]["id"]
    shown = as_json(docket(*case, "show", item, "--json"))
    assert "الرقة" in shown["text"]
    assert as_json(docket(*case, "search", "office", "--json"))["total"] == 1
    listed = docket(*case, "list", "--json").stdout.splitlines()
    assert len(listed) == 2
    docket(*case, "verify")
    docket(*case, "entities", "--json")

    # the grant is in the case's audit trail, which verifies
    trail = as_json(docket(*case, "audit", "--json"))
    assert [(e["actor"], e["action"], e["detail"]) for e in trail][:1] == [
        ("amira", "grant", {"user": "sam", "role": "reader"})
    ]
    assert as_json(docket(*case, "audit", "verify", "--json"))["problems"] == []
    # the CLI's reads of a server case are in the trail too, with what they read
    done = [(e["action"], e["detail"]) for e in trail]
    assert any(a == "search" and "المدفوعات" in json.dumps(d, ensure_ascii=False) for a, d in done)
    assert any(a == "view" and item in json.dumps(d) for a, d in done)


def test_unknown_server_case_is_a_clear_error(server: Path) -> None:
    result = docket("--case", "server:nope", "status", ok=False)
    assert result.exit_code == 3
    assert "no case 'nope' on the server" in result.output


def test_a_case_name_cannot_leave_the_storage(server: Path) -> None:
    result = docket("case", "create", "../evil", ok=False)
    assert result.exit_code == 2
    assert not (server.parent / "evil").exists()


def test_weak_or_duplicate_users_are_refused(server: Path) -> None:
    assert (
        docket("user", "add", "sam", "--password-stdin", input="short\n", ok=False).exit_code == 2
    )
    docket("user", "add", "sam", "--password-stdin", input="long enough pw\n")
    again = docket("user", "add", "sam", "--password-stdin", input="long enough pw\n", ok=False)
    assert again.exit_code == 2 and "exists already" in again.output


def test_only_an_admin_deletes_a_case_from_the_cli(server: Path) -> None:
    docket("user", "add", "amira", "--role", "admin", "--password-stdin", input="correct horse 1\n")
    docket("user", "add", "sam", "--password-stdin", input="battery staple 2\n")
    docket("case", "create", "gone")
    as_sam = docket(
        "case", "delete", "gone", "--admin", "sam", "--password-stdin",
        input="battery staple 2\n", ok=False,
    )  # fmt: skip
    assert as_sam.exit_code == 1 and "only a server admin" in as_sam.output
    wrong = docket(
        "case", "delete", "gone", "--admin", "amira", "--password-stdin",
        input="not it at all\n", ok=False,
    )  # fmt: skip
    assert wrong.exit_code == 1
    docket(
        "case", "delete", "gone", "--admin", "amira", "--password-stdin", input="correct horse 1\n"
    )
    assert as_json(docket("case", "list", "--json")) == []
    assert not (server / "cases" / "gone").exists()


def test_a_pushed_case_reads_its_texts_as_the_folder_does(server: Path, tmp_path: Path) -> None:
    """Search snippets read the first characters of each hit's text, in one query on
    PostgreSQL: the same segments, cut at the same place, as the folder case gives; and a
    case pushed to the server has its planner statistics at once (no wait for autovacuum)."""
    import psycopg

    from docket.case import Case
    from docket.newsroom import config
    from docket.views.search import spelling_owners

    rows = "\n".join(f"{n},أحمد الراوي {n},Raqqa office payment {n * 7}" for n in range(60))
    src = sources(tmp_path, "drive", {"sheet.csv": "n,name,note\n" + rows, "a.txt": ARABIC})
    local = tmp_path / "local-case"
    docket("--case", str(local), "ingest", str(src))
    docket("case", "push", str(local), "--as", "sheets")
    folder = Case.open(local, readonly=True, repair_index=False)
    pushed = Case.open(Path("server:sheets"), readonly=True, repair_index=False)
    try:
        ids = [r[0] for r in folder.catalogue.db.execute("SELECT id FROM items ORDER BY id")]
        longest = max(ids, key=lambda i: len(folder.catalogue.segments(i)))
        assert len(folder.catalogue.segments(longest)) > 20
        for limit in (None, 0, 1, 40, 41, 500, 10**6):
            want = {i: folder.catalogue.segments(i, limit) for i in ids}
            assert {i: pushed.catalogue.segments(i, limit) for i in ids} == want, limit
            assert pushed.catalogue.segments_of(ids, limit) == want, limit
            assert folder.catalogue.segments_of(ids, limit) == want, limit
        # the desk's name facets group spellings by the person they belong to, alike
        owners = spelling_owners(folder)
        assert owners and spelling_owners(pushed) == owners
        hits = as_json(docket("--case", "server:sheets", "search", "الراوي", "--json"))
        assert hits["hits"] and "الراوي" in hits["hits"][0]["snippet"]
    finally:
        folder.close()
        pushed.close()
    with psycopg.connect(config.load().database) as conn:
        analyzed = conn.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'case_sheets' "
            "AND last_analyze IS NOT NULL"
        ).fetchall()
    assert {"items", "segments", "mentions"} <= {r[0] for r in analyzed}
