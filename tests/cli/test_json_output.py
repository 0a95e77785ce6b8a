"""``ingest --json`` and ``export … --json``: the machine-readable end of a run and of an
export, on stdout, while progress and messages stay on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import docket


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("json")
    (root / "src").mkdir()
    (root / "src" / "a.txt").write_text("payroll of the northern office\n")
    (root / "src" / "bad.zip").write_bytes(b"PK\x03\x04garbage")
    proc = docket("ingest", root / "src", "--jobs", "1", "--json", case=root / "case")
    return root / "case", json.loads(proc.stdout)


def test_ingest_json_is_the_runs_summary(run: tuple[Path, dict]) -> None:
    case, summary = run
    assert summary["run"] == 1 and summary["status"] == "completed"
    assert summary["processed"] == 2 and summary["items"] == 2
    assert sum(summary["by_status"].values()) == 2
    (group,) = summary["failures_by_code"]
    assert group["code"] == "corrupt" and group["count"] == 1
    assert summary["by_status"][group["status"]] == 1 and group["message"]
    assert summary["internal"] == []
    head = summary["custody_head"]
    assert head["seq"] > 0 and len(head["hash"]) == 64
    verified = json.loads(docket("verify", "--json", case=case).stdout)
    assert verified["head"] == head  # the head the run ended on is the log's head
    assert summary["elapsed_s"] >= 0


def test_ingest_json_of_a_resumed_run_processes_nothing(run: tuple[Path, dict]) -> None:
    case, _ = run
    proc = docket("ingest", case.parent / "src", "--jobs", "1", "--json", case=case)
    again = json.loads(proc.stdout)  # stdout holds the JSON object and nothing else
    assert again["run"] == 2 and again["status"] == "completed"
    assert again["processed"] == 0 and again["items"] == 2
    assert "done: 0 items processed" in proc.stderr  # the text summary stays on stderr


def test_the_summary_says_one_item(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("one\n")
    proc = docket("ingest", tmp_path / "src", "--jobs", "1", case=tmp_path / "case")
    assert "done: 1 item processed" in proc.stderr
    assert "case holds 1 item" in proc.stderr and "case holds 1 items" not in proc.stderr


@pytest.mark.parametrize(
    ("kind", "name", "fmt", "counts"),
    [
        ("report", "r.html", "html", {"findings"}),
        ("ftm", "e.ftm.json", "ftm", {"entities"}),
        ("gexf", "g.gexf", "gexf", {"nodes", "edges"}),
        ("provenance", "p.jsonld", "provenance", {"items"}),
        ("csv", "t", "csv", {"entities.csv", "mentions.csv", "payments.csv", "correspondence.csv"}),
        ("csv", "t.zip", "csv-zip", {"entities.csv", "mentions.csv"}),
    ],
)
def test_export_json_says_what_was_written(
    run: tuple[Path, dict], tmp_path: Path, kind: str, name: str, fmt: str, counts: set[str]
) -> None:
    case, _ = run
    target = tmp_path / name
    proc = docket("export", kind, "-o", target, "--json", case=case)
    written = json.loads(proc.stdout)
    assert written["format"] == fmt and written["path"] == str(target)
    assert counts <= set(written["counts"])
    assert all(isinstance(n, int) for n in written["counts"].values())
    assert target.exists()
    if kind == "provenance":
        assert written["counts"]["items"] == 2


@pytest.mark.parametrize("kind", ["report", "ftm", "gexf", "provenance"])
def test_export_json_to_stdout_is_refused(run: tuple[Path, dict], kind: str) -> None:
    case, _ = run
    proc = docket("export", kind, "--json", case=case, check=False)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "--json needs --output" in proc.stderr


@pytest.mark.parametrize("kind", ["report", "ftm", "gexf", "provenance", "csv"])
def test_export_paths_are_shown_literally(
    run: tuple[Path, dict], tmp_path: Path, kind: str
) -> None:
    case, _ = run
    target = tmp_path / "[bold]x"
    proc = docket("export", kind, "-o", target, case=case)
    assert f"to {target}" in proc.stderr  # not read as markup (which ate the brackets)


def test_ingest_json_of_an_aborted_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary comes out however the run ends: here aborted (exit 5) by a bug."""
    from tests.pipeline.test_internal import BUGGY, _install_plugin, _source

    monkeypatch.setenv("PYTHONPATH", str(_install_plugin(tmp_path / "plugin", BUGGY)))
    monkeypatch.setenv("DOCKET_COMMIT_SECONDS", "0")
    case = tmp_path / "case"
    proc = docket(
        "ingest", _source(tmp_path / "src"), "--jobs", "1", "--json", case=case, check=False
    )
    assert proc.returncode == 5 and "aborted:" in proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["status"] == "aborted" and "KeyError" in summary["reason"]
    (bug,) = summary["internal"]
    assert bug["signature"].startswith("KeyError at docket_buggy_plugin.py:")
    assert bug["count"] == summary["by_status"]["failed"] - 1  # and one corrupt PDF
    codes = {g["code"]: g["count"] for g in summary["failures_by_code"]}
    assert codes == {"internal": bug["count"], "corrupt": 1}
    assert summary["custody_head"]["seq"] == len((case / "custody.log").read_bytes().splitlines())
