"""The real-world samples in ../shared/samples/formats (Apache Tika's test documents):
every file accounted for with a status, encrypted ones recognised, known text findable."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.helpers import docket, docket_json, docket_lines

FORMATS = SAMPLES / "formats"
pytestmark = pytest.mark.skipif(not FORMATS.exists(), reason="../shared/samples is not present")

ENCRYPTED = {
    "password.xls",
    "protect.xlsx",
    "protectedFile.xlsx",
    "protected_normal_case.docx",
    "protected_upper_case.docx",
    "testEXCEL_protected_passtika.xls",
    "testEXCEL_protected_passtika.xlsx",
    "testEXCEL_protected_passtika_2.xlsx",
    "testPPT_protected_passtika.ppt",
    "testPPT_protected_passtika.pptx",
    "testWORD_protected_passtika.doc",
    "testWORD_protected_passtika.docx",
    "testODTEncrypted.odt",
    "full_encrypted.7z",
    "test-documents-enc.rar",
    "test7Z_protected_passTika.7z",
    "testPassword4Spaces.pdf",
    "testUnicodePassword.pdf",
}


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    case = tmp_path_factory.mktemp("samples") / "case"
    docket("ingest", FORMATS, "--jobs", "2", case=case)
    return case


def test_every_file_is_accounted_for(case: Path) -> None:
    files = sorted(p.name for p in FORMATS.iterdir() if p.is_file())
    items = docket_lines("list", case=case)
    top = sorted(i["path"][0].split("/", 1)[1] for i in items if len(i["path"]) == 1)
    assert top == files
    assert all(i["status"] != "pending" for i in items)
    for i in items:
        if i["status"] != "ok":
            assert i["code"] and i["message"], i
    status = docket_json("status", case=case)
    assert status["items"] == len(items)
    assert len(status["failures"]) == sum(1 for i in items if i["status"] != "ok")


def test_encrypted_files_are_recognised(case: Path) -> None:
    top = {
        i["path"][0].split("/", 1)[1]: i
        for i in docket_lines("list", case=case)
        if len(i["path"]) == 1
    }
    for name in ENCRYPTED:
        assert top[name]["status"] == "encrypted", (name, top[name])
    assert top["protectedSheets.xlsx"]["status"] == "ok"  # sheet protection is not encryption


def _found(case: Path, query: str) -> set[str]:
    hits = docket_json("search", query, "--limit", "200", case=case)["hits"]
    return {"/".join(h["path"]).split("/", 1)[1] for h in hits}


def test_known_text_is_found(case: Path) -> None:
    assert {"testWORD6.doc", "testTXTNonASCIIUTF8.txt"} <= _found(case, '"the quick brown fox"')
    assert any(p.startswith("bob.gz/") for p in _found(case, "hello"))
    assert any(p.startswith("test-documents.7z/") for p in _found(case, '"Apache Tika"'))
    assert any(p.startswith("testMSG.msg") for p in _found(case, '"Apache Tika"'))


def test_samples_case_verifies(case: Path) -> None:
    assert docket_json("verify", case=case)["ok"]
