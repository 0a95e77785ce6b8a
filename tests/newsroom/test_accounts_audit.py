"""Accounts (Argon2, lockout, sessions, roles), the audit trail's hash chain, and moving a
case between a folder and the server — on a real PostgreSQL."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from docket.case import Case
from docket.newsroom import audit, config
from docket.newsroom.accounts import MAX_FAILURES, Denied, Server
from docket.newsroom.chain import GENESIS, chain_hash
from tests.newsroom.helpers import ARABIC, ENGLISH, as_json, docket, init_server, sources


@pytest.fixture
def server(tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Server:
    init_server(tmp_path, pg_url, monkeypatch)
    s = Server(config.load())
    s.add_user("amira", "correct horse 1", admin=True, actor="test")
    s.add_user("sam", "battery staple 2", admin=False, actor="test")
    yield s
    s.close()


def test_passwords_are_argon2_and_never_stored(server: Server) -> None:
    stored = server.conn.execute("SELECT hash FROM users WHERE name = 'sam'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "battery" not in stored
    assert server.authenticate("sam", "battery staple 2").name == "sam"
    with pytest.raises(Denied):
        server.authenticate("sam", "wrong password")
    with pytest.raises(Denied):
        server.authenticate("nobody", "whatever password")


def test_lockout_after_repeated_failures(server: Server) -> None:
    for _ in range(MAX_FAILURES):
        with pytest.raises(Denied):
            server.authenticate("sam", "not the password")
    with pytest.raises(Denied, match="locked"):
        server.authenticate("sam", "battery staple 2")  # the right one, but locked now
    log = server.conn.execute("SELECT actor, action FROM server_log").fetchall()
    assert ("sam", "lockout") in log


def test_sessions_and_roles(server: Server) -> None:
    server.create_case("a", actor="amira")
    server.create_case("b", actor="amira")
    server.grant("sam", "a", "reader", actor="amira")
    sam = server.authenticate("sam", "battery staple 2")
    token = server.open_session(sam)
    assert server.session(token) == (sam, None)
    assert server.session(token + "x") is None
    assert server.may(sam, "a", "read") and not server.may(sam, "a", "edit")
    assert not server.may(sam, "b", "read") and not server.may(sam, "nope", "read")
    assert [c["name"] for c in server.cases(sam)] == ["a"]
    server.grant("sam", "a", "auditor", actor="amira")
    assert server.may(sam, "a", "audit") and not server.may(sam, "a", "read")
    server.close_session(token)
    assert server.session(token) is None


def test_only_an_admin_deletes_a_case_and_it_is_logged(server: Server) -> None:
    server.create_case("gone", actor="amira")
    sam = server.authenticate("sam", "battery staple 2")
    with pytest.raises(Denied):
        server.delete_case("gone", actor=sam)
    amira = server.authenticate("amira", "correct horse 1")
    server.delete_case("gone", actor=amira)
    assert not server.case_exists("gone")
    assert not server.config.case_root("gone").exists()
    actions = server.conn.execute("SELECT actor, action, detail FROM server_log").fetchall()
    assert any(a == "amira" and act == "case-delete" and '"gone"' in d for a, act, d in actions)


def test_audit_chain_catches_an_edited_entry(server: Server, tmp_path: Path) -> None:
    server.create_case("a", actor="amira")
    c = Case.open(Path("server:a"), repair_index=False)
    try:
        audit.append(c.catalogue, "sam", "search", query="الرقة")
        audit.append(c.catalogue, "sam", "view", item="abc123")
        audit.append(c.catalogue, "amira", "grant", user="sam", role="reader")
        assert audit.verify(c.catalogue).ok
        c.catalogue.db.execute("UPDATE audit SET actor = 'someone' WHERE seq = 2")
        report = audit.verify(c.catalogue)
        assert report.problems == ["entry 2 was changed after it was written"]
        c.catalogue.db.execute("UPDATE audit SET actor = 'sam' WHERE seq = 2")
        c.catalogue.db.execute("DELETE FROM audit WHERE seq = 2")
        assert "entry 2 is missing (the next is 3)" in audit.verify(c.catalogue).problems
    finally:
        c.close()
    result = docket("--case", "server:a", "audit", "verify", ok=False)
    assert result.exit_code == 1 and "entry 2 is missing" in result.output


def test_push_and_pull_verify_every_hash(server: Server, tmp_path: Path) -> None:
    src = sources(tmp_path, "drive", {"a.txt": ARABIC, "b.txt": ENGLISH})
    local = tmp_path / "local-case"
    docket("--case", str(local), "ingest", str(src))
    docket("case", "push", str(local), "--as", "raqqa-notes")
    hits = as_json(docket("--case", "server:raqqa-notes", "search", "المدفوعات", "--json"))
    assert hits["total"] == 1
    docket("--case", "server:raqqa-notes", "verify")

    back = tmp_path / "pulled"
    docket("case", "pull", "raqqa-notes", str(back))
    assert (back / "case.db").exists()
    docket("--case", str(back), "verify")
    assert as_json(docket("--case", str(back), "search", "office", "--json"))["total"] == 1
    same = as_json(docket("--case", str(local), "status", "--json"))
    assert as_json(docket("--case", str(back), "status", "--json"))["items"] == same["items"]


def test_a_damaged_blob_is_not_pushed(server: Server, tmp_path: Path) -> None:
    src = sources(tmp_path, "drive", {"a.txt": ARABIC})
    local = tmp_path / "local-case"
    docket("--case", str(local), "ingest", str(src))
    blob = next(p for p in (local / "blobs").rglob("*") if p.is_file())
    blob.chmod(0o644)
    blob.write_bytes(b"altered")
    result = docket("case", "push", str(local), "--as", "bad", ok=False)
    assert result.exit_code == 1 and "does not verify" in result.output
    assert not server.case_exists("bad")
    shutil.rmtree(local)


def test_a_trail_rewritten_end_to_end_is_caught_once_anchored(
    server: Server, tmp_path: Path
) -> None:
    server.create_case("a", actor="amira")
    c = Case.open(Path("server:a"), repair_index=False)
    try:
        for n in range(3):
            audit.append(c.catalogue, "sam", "view", item=f"item{n}")
    finally:
        c.close()
    # `docket seal` anchors the trail's head in the custody log before it signs it
    docket(
        "--case",
        "server:a",
        "seal",
        "--key",
        str(tmp_path / "seal.pem"),
        "-o",
        str(tmp_path / "s.json"),
    )
    c = Case.open(Path("server:a"), repair_index=False)
    try:
        # (entry 4 is the seal command itself, recorded as every command on a server case)
        last = c.catalogue.db.execute(
            "SELECT seq, hash, action FROM audit ORDER BY seq DESC"
        ).fetchone()
        assert last["action"] == "seal"
        assert [a[1:] for a in audit.anchors(c)] == [(last["seq"], last["hash"])]
        # someone with the database rewrites who read item1, recomputing every hash after
        db = c.catalogue.db
        rows = [dict(r) for r in db.execute("SELECT * FROM audit ORDER BY seq")]
        db.execute("DELETE FROM audit")
        prev = GENESIS
        for r in rows:
            actor = "someone" if r["seq"] == 2 else r["actor"]
            digest = chain_hash(prev, r["seq"], r["time"], actor, r["action"], r["detail"])
            db.execute(
                "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?)",
                (r["seq"], r["time"], actor, r["action"], r["detail"], prev, digest),
            )
            prev = digest
        assert audit.verify(c.catalogue).ok  # the chain alone cannot tell
    finally:
        c.close()
    result = docket("--case", "server:a", "audit", "verify", ok=False)
    assert result.exit_code == 1 and "not the one anchored in custody.log" in result.output
    docket("--case", "server:a", "verify", "--seal", str(tmp_path / "s.json"))


def test_a_servers_trail_keeps_its_chain_beside_other_appenders(server: Server) -> None:
    """``serve --server`` appends through ``audit.Trail`` (one connection a case, the
    head kept between entries, one INSERT each) from many threads, while another server
    process and a CLI command append to the same case: every entry lands once, in one
    unbroken chain, and an edit is caught."""
    server.create_case("a", actor="amira")
    root = config.load().case_root("a")
    one, two = (audit.Trail(lambda: audit.open_server_catalogue(root)) for _ in range(2))
    cli = Case.open(Path("server:a"), repair_index=False)
    try:
        assert one.append("sam", "search", query="الرقة") == 1
        assert one.append("sam", "view", item="i1") == 2
        # another process appends: the trail's kept head is stale now
        assert audit.append(cli.catalogue, "amira", "grant", user="sam", role="reader") == 3
        assert two.append("sam", "view", item="i2") == 4
        assert one.append("sam", "view", item="i3") == 5

        def analyst(n: int) -> None:
            for k in range(15):
                (one if n % 2 else two).append(f"user{n}", "view", item=f"{n}-{k}")

        def command() -> None:
            for k in range(10):
                audit.append(cli.catalogue, "amira", "export", n=k)

        threads = [threading.Thread(target=analyst, args=(n,)) for n in range(4)]
        threads.append(threading.Thread(target=command))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rows = one.entries()
        assert [r["seq"] for r in rows] == list(range(1, 5 + 4 * 15 + 10 + 1))
        assert sorted(r["detail"]["item"] for r in rows if r["actor"] == "user2") == sorted(
            f"2-{k}" for k in range(15)
        )
        assert audit.verify(cli.catalogue).ok
        cli.catalogue.db.execute("UPDATE audit SET detail = '{}' WHERE seq = 40")
        assert audit.verify(cli.catalogue).problems == ["entry 40 was changed after it was written"]
    finally:
        cli.close()
        one.close()
        two.close()
