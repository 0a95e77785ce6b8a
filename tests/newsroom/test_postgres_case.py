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
