"""``docket seal`` and ``docket verify --seal``: a consistent rewrite of the case — new
bytes, new catalogue hashes, the whole custody chain recomputed — passes plain ``verify``
and is caught by the seal kept outside the case, which names the first changed line."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from docket.case import Case
from docket.verify import seal as sealing
from tests.helpers import docket, docket_lines, small_cache


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sealed")
    case = root / "case"
    docket("ingest", small_cache(root / "seized"), case=case)
    return case


@pytest.fixture
def case(ingested: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # the key lives here
    copy = tmp_path / "case"
    shutil.copytree(ingested, copy)
    return copy


def _seal(case: Path, out: Path, *extra: str | Path) -> dict:
    docket("seal", "-o", out, *extra, case=case)
    return json.loads(out.read_text())


def _rechain(case: Path, lines: list[str]) -> None:
    """Rewrite the custody log from records, each ``prev`` recomputed, and the catalogue's
    head updated to match: what a careful forger with write access to the case does."""
    prev = "0" * 64
    out = []
    for text in lines:
        record = json.loads(text)
        record["prev"] = prev
        line = json.dumps(record, ensure_ascii=False, sort_keys=True)
        out.append(line)
        prev = hashlib.sha256(line.encode()).hexdigest()
    (case / "custody.log").write_text("".join(line + "\n" for line in out), encoding="utf-8")
    db = sqlite3.connect(case / "case.db")
    db.execute("UPDATE meta SET value = ? WHERE key = 'custody_seq'", (str(len(out)),))
    db.execute("UPDATE meta SET value = ? WHERE key = 'custody_head'", (prev,))
    db.commit()
    db.close()


def _forge(case: Path, name: str, forged: bytes) -> int:
    """Swap an item's bytes for ``forged`` consistently: new blob, new hashes in the
    catalogue and in every custody line, the chain recomputed. Returns the first custody
    line that changed."""
    item = next(i for i in docket_lines("list", case=case) if i["path"][-1].endswith(name))
    old = item["sha256"]
    db = sqlite3.connect(case / "case.db")
    md5_old, sha1_old = db.execute(
        "SELECT md5, sha1 FROM items WHERE id = ?", (item["id"],)
    ).fetchone()
    new = {
        old: hashlib.sha256(forged).hexdigest(),
        md5_old: hashlib.md5(forged).hexdigest(),
        sha1_old: hashlib.sha1(forged).hexdigest(),
    }
    blob = case / "blobs" / new[old][:2] / new[old][2:4] / new[old]
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(forged)
    old_blob = case / "blobs" / old[:2] / old[2:4] / old
    old_blob.chmod(stat.S_IWUSR | stat.S_IRUSR)
    old_blob.unlink()
    db.execute(
        "UPDATE items SET sha256 = ?, md5 = ?, sha1 = ?, size = ? WHERE id = ?",
        (new[old], new[md5_old], new[sha1_old], len(forged), item["id"]),
    )
    db.commit()
    db.close()
    lines = (case / "custody.log").read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, start=1) if old in line)
    size_field = f'"size": {item["size"]}'
    rewritten = []
    for line in lines:
        if old in line:
            for a, b in new.items():
                line = line.replace(a, b)
            line = line.replace(size_field, f'"size": {len(forged)}')
        rewritten.append(line)
    _rechain(case, rewritten)
    return first


def test_a_seal_names_the_head_and_is_signed_by_a_key_outside_the_case(
    case: Path, tmp_path: Path
) -> None:
    lines_before = (case / "custody.log").read_text().splitlines()
    sealed = _seal(case, tmp_path / "seal.json")
    assert sealed["format"] == "docket-seal/1"
    assert sealed["head"]["seq"] == len(lines_before)
    assert sealed["head"]["hash"] == hashlib.sha256(lines_before[-1].encode()).hexdigest()
    assert sealed["items"] == len(docket_lines("list", case=case))
    assert sealed["case_id"] and sealed["signature"] and sealed["public_key"]
    assert sealed["timestamp"] is None
    assert sealed["timestamp_note"] == "no timestamp authority configured"
    key = tmp_path / "config" / "docket" / "seal-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    raw = base64.b64decode(sealed["public_key"])
    assert sealed["key_fingerprint"] == sealing.fingerprint(raw)
    # Sealing is itself recorded, after the sealed line; the case still extends the seal.
    last = json.loads((case / "custody.log").read_text().splitlines()[-1])
    assert last["event"] == "sealed" and last["head"] == sealed["head"]
    proc = docket("verify", "--seal", tmp_path / "seal.json", case=case)
    assert sealed["key_fingerprint"] in proc.stdout
    assert "extends" in proc.stdout
    # The same key signs the next seal.
    again = _seal(case, tmp_path / "seal2.json")
    assert again["public_key"] == sealed["public_key"]
    assert again["head"]["seq"] == sealed["head"]["seq"] + 1


def test_a_consistent_rewrite_is_missed_by_verify_and_caught_by_the_seal(
    case: Path, tmp_path: Path
) -> None:
    seal_file = tmp_path / "seal.json"
    _seal(case, seal_file)
    more = tmp_path / "more"
    more.mkdir()
    (more / "reply.txt").write_text("Reply: the transfer was made on 3 March.\n")
    docket("ingest", more, case=case)  # the case grows after it was sealed
    first = _forge(case, "arabic.txt", "من: شخص آخر\nالموضوع: لا شيء\n".encode())
    # Every check inside the case agrees with itself: blob, catalogue, chain, records.
    plain = docket("verify", case=case, check=False)
    assert plain.returncode == 0, plain.stdout
    proc = docket("verify", "--seal", seal_file, case=case, check=False)
    assert proc.returncode == 1
    assert "seal-diverged" in proc.stdout and f"line {first} " in proc.stdout
    report = json.loads(
        docket("verify", "--json", "--seal", seal_file, case=case, check=False).stdout
    )
    assert not report["ok"]
    (problem,) = report["seal"]["problems"]
    assert problem["code"] == "seal-diverged" and problem["line"] == first
    assert problem["line_to"] is None  # a short log is checkpointed line by line


def test_an_altered_seal_fails_its_signature(case: Path, tmp_path: Path) -> None:
    sealed = _seal(case, tmp_path / "seal.json")
    sealed["items"] += 1
    (tmp_path / "seal.json").write_text(json.dumps(sealed))
    proc = docket("verify", "--seal", tmp_path / "seal.json", case=case, check=False)
    assert proc.returncode == 1 and "seal-signature" in proc.stdout


def test_a_seal_of_another_case_is_named(case: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    docket("ingest", small_cache(tmp_path / "seized2"), case=other)
    _seal(other, tmp_path / "other.json")
    proc = docket("verify", "--seal", tmp_path / "other.json", case=case, check=False)
    assert proc.returncode == 1 and "seal-case" in proc.stdout


def test_removed_lines_are_named(case: Path, tmp_path: Path) -> None:
    sealed = _seal(case, tmp_path / "seal.json")
    lines = (case / "custody.log").read_text(encoding="utf-8").splitlines()
    _rechain(case, lines[:3])
    report = json.loads(
        docket("verify", "--json", "--seal", tmp_path / "seal.json", case=case, check=False).stdout
    )
    codes = {p["code"]: p for p in report["seal"]["problems"]}
    assert set(codes) == {"seal-truncated"}
    assert codes["seal-truncated"]["line"] == 4
    assert f"4–{sealed['head']['seq']}" in codes["seal-truncated"]["detail"]


def test_a_key_inside_the_case_is_refused(case: Path, tmp_path: Path) -> None:
    proc = docket("seal", "--key", case / "key.pem", case=case, check=False)
    assert proc.returncode == 1 and "inside the case" in proc.stderr
    assert not (case / "key.pem").exists()


def test_a_seal_file_that_is_not_a_seal_is_a_bad_argument(case: Path, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"format": "something-else"}')
    proc = docket("verify", "--seal", tmp_path / "x.json", case=case, check=False)
    assert proc.returncode == 2 and "docket-seal/1" in proc.stderr
    sealed = _seal(case, tmp_path / "seal.json")
    sealed["checkpoints"]["hashes"][0] = 7  # malformed, not merely altered
    (tmp_path / "x.json").write_text(json.dumps(sealed))
    proc = docket("verify", "--seal", tmp_path / "x.json", case=case, check=False)
    assert proc.returncode == 2 and "malformed" in proc.stderr


# -- long logs: checkpoints locate the change ------------------------------------------
@pytest.fixture
def long_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Case:
    """60 custody lines with at most 20 checkpoints: one every 3 lines, as a log of
    thousands of lines has with the real limit of 256."""
    monkeypatch.setattr(sealing, "MAX_CHECKPOINTS", 20)
    case = Case.open(tmp_path / "case", create=True)
    for n in range(60):
        case.log("note", n=n)
    return case


def test_a_long_log_names_the_span_of_a_rechained_change(long_case: Case, tmp_path: Path) -> None:
    key, _, _ = sealing.load_key(tmp_path / "key.pem", long_case.root)
    sealed = sealing.make_seal(long_case, key)
    assert sealed["checkpoints"]["every"] == 3
    assert len(sealed["checkpoints"]["hashes"]) == 20
    assert sealing.check_seal(long_case, sealed).ok
    lines = (long_case.root / "custody.log").read_text().splitlines()
    record = json.loads(lines[30])  # line 31, between the checkpoints at 30 and 33
    record["n"] = "forged"
    lines[30] = json.dumps(record)
    _rechain(long_case.root, lines)
    (problem,) = sealing.check_seal(long_case, sealed).problems
    assert (problem.code, problem.line, problem.line_to) == ("seal-diverged", 31, 33)


def test_a_long_log_names_the_exact_line_of_a_change_that_was_not_rechained(
    long_case: Case, tmp_path: Path
) -> None:
    key, _, _ = sealing.load_key(tmp_path / "key.pem", long_case.root)
    sealed = sealing.make_seal(long_case, key)
    log = long_case.root / "custody.log"
    lines = log.read_text().splitlines()
    # Line 31 (no checkpoint of its own) edited in place: line 32 still holds the sealed
    # hash of line 31, and the checkpoint at 30 proves everything before it.
    lines[30] = lines[30].replace('"n": 30', '"n": 1000')
    log.write_text("\n".join(lines) + "\n")
    (problem,) = sealing.check_seal(long_case, sealed).problems
    assert (problem.code, problem.line, problem.line_to) == ("seal-diverged", 31, None)
