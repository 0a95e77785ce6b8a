"""Working together on findings in a local case: ``docket finding add|edit|comment|review``
and the desk's edit, comment and review forms — authors, versions, a stale edit refused
with both versions shown, comments in Arabic, the review states, and every change in the
custody log, which still verifies (also with two writers taking turns)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docket.case import Case
from docket.serve.app import create_app
from docket.views import findings as findings_view
from tests.newsroom.helpers import ARABIC, ENGLISH, as_json, docket, sources

TITLE = "دفعة إلى أحمد الراوي"
COMMENT = "تحقق من التاريخ في الوثيقة الأصلية"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("findings")
    mp = pytest.MonkeyPatch()
    mp.setenv("DOCKET_ENRICH", "language")
    case = tmp / "case"
    docket("--case", str(case), "ingest", str(sources(tmp, "src", {"a.txt": ARABIC, "b.txt": ENGLISH})))  # fmt: skip
    mp.undo()
    items = [json.loads(line) for line in docket("--case", str(case), "list", "--json").stdout.splitlines()]  # fmt: skip
    return case, next(i["id"] for i in items if i["path"][-1].endswith("a.txt"))


@pytest.fixture
def case(base: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    import shutil

    copy = tmp_path / "case"
    shutil.copytree(base[0], copy)
    return copy, base[1]


def _as(monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    monkeypatch.setenv("DOCKET_USER", user)


def _custody(case: Path) -> list[dict[str, Any]]:
    lines = (case / "custody.log").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_findings_from_the_command_line(
    case: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, item = case
    c = ["--case", str(root)]
    _as(monkeypatch, "layla")
    added = as_json(docket(*c, "finding", "add", item, "--title", TITLE, "--tags", "دفعات, Raqqa", "--json"))  # fmt: skip
    assert isinstance(added, dict)
    fid = str(added["id"])
    assert (added["author"], added["state"], added["version"]) == ("layla", "draft", 1)
    assert added["tags"] == ["دفعات", "Raqqa"]

    docket(*c, "finding", "comment", fid, COMMENT)
    assert docket(*c, "finding", "review", fid, "published", ok=False).exit_code == 2
    docket(*c, "finding", "review", fid, "checked")

    _as(monkeypatch, "omar")  # omar and layla both begin from version 1
    saved = as_json(docket(*c, "finding", "edit", fid, "--base", "1", "--note", "ملاحظة عمر", "--json"))  # fmt: skip
    assert isinstance(saved, dict)
    assert (saved["version"], saved["editor"], saved["state"]) == (2, "omar", "draft")
    _as(monkeypatch, "layla")
    stale = docket(*c, "finding", "edit", fid, "--base", "1", "--note", "ملاحظة ليلى", ok=False)
    assert stale.exit_code == 1
    assert "omar" in stale.output and "version 2" in stale.output and "ملاحظة عمر" in stale.output

    shown = as_json(docket(*c, "finding", "show", fid, "--json"))
    assert isinstance(shown, dict)
    assert shown["note"] == "ملاحظة عمر" and shown["version"] == 2
    assert [(x["author"], x["text"]) for x in shown["comments"]] == [("layla", COMMENT)]
    assert [(h["actor"], h["action"], h["version"], h["state"]) for h in shown["history"]] == [
        ("layla", "add", 1, "draft"),
        ("layla", "review", 1, "checked"),
        ("omar", "edit", 2, "draft"),
    ]
    listed = docket(*c, "finding", "list").stdout
    assert TITLE in listed and "v2" in listed

    logged = [e for e in _custody(root) if e["event"] == "finding"]
    assert [(e["action"], e["actor"]) for e in logged] == [
        ("add", "layla"), ("comment", "layla"), ("review", "layla"), ("edit", "omar"),
    ]  # fmt: skip
    assert logged[0]["title"] == TITLE and logged[1]["text"] == COMMENT
    assert logged[2]["from"] == "draft" and logged[2]["state"] == "checked"
    docket(*c, "verify")


def test_two_writers_taking_turns_keep_the_custody_log_whole(case: tuple[Path, str]) -> None:
    """The desk's threads each hold their own case handle: their custody lines chain."""
    root, item = case
    one, two = Case.open(root), Case.open(root)
    try:
        fid = findings_view.add(one, title=TITLE, cites=[{"item": item}], actor="a")
        findings_view.comment(two, fid, COMMENT, actor="b")
        findings_view.review(one, fid, "checked", actor="a")
        findings_view.comment(two, fid, "second", actor="b")
    finally:
        one.close()
        two.close()
    docket("--case", str(root), "verify")
    assert [e["seq"] for e in _custody(root)] == list(range(1, len(_custody(root)) + 1))


def _nonce(text: str) -> str:
    found = re.search(r'name="nonce" value="([^"]+)"', text)
    assert found
    return found.group(1)


def test_the_desk_edits_comments_and_reviews(
    case: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, item = case
    _as(monkeypatch, "layla")
    c = TestClient(
        create_app(root), base_url="http://127.0.0.1", follow_redirects=False,
        headers={"Origin": "http://127.0.0.1"},
    )  # fmt: skip
    nonce = _nonce(c.get(f"/item/{item}").text)
    r = c.post("/findings", data={"nonce": nonce, "item": item, "title": TITLE})
    assert r.status_code == 303
    fid = findings_view.findings(Case.open(root, readonly=True))[0]["id"]

    form = c.get(f"/findings/{fid}/edit").text
    assert 'name="base" value="1"' in form and TITLE in form
    first = {"nonce": nonce, "base": "1", "title": TITLE, "note": "نسخة أولى"}
    assert c.post(f"/findings/{fid}/edit", data=first).status_code == 303
    # a second analyst's form was opened at version 1 too: refused, both versions shown
    mine = {"nonce": nonce, "base": "1", "title": TITLE + " (مراجع)", "note": "نسخة ثانية"}
    r = c.post(f"/findings/{fid}/edit", data=mine)
    assert r.status_code == 409
    assert 'id="conflict"' in r.text and "نسخة أولى" in r.text and "نسخة ثانية" in r.text
    assert 'name="base" value="2"' in r.text  # saving again, after merging, is possible
    assert findings_view.finding(Case.open(root, readonly=True), fid)["note"] == "نسخة أولى"

    assert c.post(f"/findings/{fid}/comment", data={"nonce": nonce, "text": COMMENT}).status_code == 303  # fmt: skip
    assert c.post(f"/findings/{fid}/review", data={"nonce": nonce, "state": "checked"}).status_code == 303  # fmt: skip
    assert c.post(f"/findings/{fid}/review", data={"nonce": "forged", "state": "draft"}).status_code == 403  # fmt: skip
    page = c.get("/findings?lang=ar").text
    assert COMMENT in page and "layla" in page and "مُراجَعة" in page
    api = c.get(f"/api/findings/{fid}").json()
    assert api["state"] == "checked" and api["comments"][0]["text"] == COMMENT
    assert c.get("/api/findings/999").status_code == 404
    docket("--case", str(root), "verify")
