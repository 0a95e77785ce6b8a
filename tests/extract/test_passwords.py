"""Encrypted documents and archives opened with `docket ingest --passwords FILE`: each
format through the CLI, the record of which line opened which item (never the password),
a re-run that opens only what stayed encrypted, and bad password files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from docket.extract.passwords import parse
from tests.fixtures import encrypted as enc
from tests.helpers import docket, docket_json, docket_lines

PDF_PASSWORD = "ledger 2019"
ZIP_PASSWORD = "zip-سري"


def _source(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "رواتب.docx").write_bytes(enc.docx())  # the Arabic password
    (root / "payroll.xlsx").write_bytes(enc.xlsx(PDF_PASSWORD))
    (root / "ledger.pdf").write_bytes(enc.pdf(PDF_PASSWORD))
    (root / "crypto.zip").write_bytes(
        enc.zip_crypto(ZIP_PASSWORD, {"secret.txt": "الحوالة إلى دمشق".encode()})
    )
    (root / "aes.zip").write_bytes(
        enc.zip_aes(enc.ARABIC_PASSWORD, {"تقارير/الأول.txt": "تقرير الاجتماع الأول".encode()})
    )
    (root / "أرشيف.7z").write_bytes(
        enc.sevenzip(enc.ARABIC_PASSWORD, {"نص.txt": "محضر الاجتماع السري".encode()})
    )
    (root / "locked.docx").write_bytes(enc.docx("a password nobody gave"))
    (root / "plain.txt").write_text("an ordinary note\n")
    return root


def _passwords(path: Path) -> Path:
    # Line 1 a blank, line 3 with spaces around it: taken as written.
    text = f"\nwrong\n {PDF_PASSWORD} \n{PDF_PASSWORD}\n{ZIP_PASSWORD}\n{enc.ARABIC_PASSWORD}\n"
    path.write_text(text, encoding="utf-8")
    return path


def _items(case: Path) -> dict[str, dict[str, Any]]:
    return {"/".join(i["path"][1:]) or i["path"][0]: i for i in docket_lines("list", case=case)}


def _by_name(case: Path) -> dict[str, dict[str, Any]]:
    return {i["path"][-1].rsplit("/", 1)[-1]: i for i in docket_lines("list", case=case)}


def _show(case: Path, item_id: str) -> dict[str, Any]:
    return docket_json("show", item_id, case=case)


def _no_password_anywhere(case: Path, *outputs: str) -> None:
    secrets = (PDF_PASSWORD, ZIP_PASSWORD, enc.ARABIC_PASSWORD)
    files = [p for p in case.rglob("*") if p.is_file() and "blobs" not in p.parts]
    for secret in secrets:
        for form in {secret.encode("utf-8"), secret.encode("utf-16-le")}:
            for path in files:
                assert form not in path.read_bytes(), f"a password is in {path}"
        for out in outputs:
            assert secret not in out


def test_each_format_opens_with_its_password_and_custody_names_the_line(tmp_path: Path) -> None:
    src = _source(tmp_path / "src")
    pw = _passwords(tmp_path / "pw.txt")
    digest = hashlib.sha256(pw.read_bytes()).hexdigest()
    case = tmp_path / "case"
    run = docket("ingest", src, "--passwords", pw, "--no-enrich", case=case)
    items = _by_name(case)

    def opened(name: str, line: int) -> dict[str, Any]:
        item = items[name]
        assert item["status"] == "ok", item
        shown = _show(case, item["id"])
        assert shown["metadata"]["decrypted"]["line"] == line
        assert shown["metadata"]["decrypted"]["file_sha256"] == digest
        assert shown["metadata"]["decrypted"]["source"] == "password list"
        return shown

    docx = opened("رواتب.docx", 6)
    assert "أبو عمار النعيمي" in docx["text"]
    assert len(docx["metadata"]["decrypted"]["plaintext_sha256"]) == 64
    assert "زيد بن علي" in opened("payroll.xlsx", 4)["text"]
    assert "northern office" in opened("ledger.pdf", 4)["text"]
    assert items["ledger.pdf"]["type"] == "pdf"
    assert opened("أرشيف.7z", 6)["metadata"]["decrypted"]
    # Members of the opened archives are items of their own, extracted as usual.
    assert "الحوالة إلى دمشق" in _show(case, items["secret.txt"]["id"])["text"]
    assert items["secret.txt"]["status"] == "ok" and items["readme.txt"]["status"] == "ok"
    assert "تقرير الاجتماع الأول" in _show(case, items["الأول.txt"]["id"])["text"]
    assert "محضر الاجتماع السري" in _show(case, items["نص.txt"]["id"])["text"]
    member = _show(case, items["secret.txt"]["id"])
    assert member["fs"]["decrypted"]["line"] == 5

    # The one no password opens stays encrypted, saying how many were tried.
    locked = items["locked.docx"]
    assert locked["status"] == "encrypted" and locked["code"] == "encrypted"
    assert "none of the 5 passwords tried opens it" in locked["message"]
    assert items["plain.txt"]["status"] == "ok"

    events = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    opened_by = {
        r.get("id") or r["name"]: r for e in events if e["event"] == "decrypted" for r in e["items"]
    }
    assert opened_by[items["رواتب.docx"]["id"]]["line"] == 6
    assert opened_by[items["ledger.pdf"]["id"]]["file_sha256"] == digest
    assert opened_by[items["secret.txt"]["id"]]["line"] == 5
    _no_password_anywhere(case, run.stdout, run.stderr)
    assert docket_json("verify", case=case)["ok"]
    hits = docket_json("search", "النعيمي", case=case)["hits"]
    assert items["رواتب.docx"]["id"] in {h["id"] for h in hits}


def test_a_rerun_with_passwords_opens_what_stayed_encrypted_and_nothing_else(
    tmp_path: Path,
) -> None:
    src = _source(tmp_path / "src")
    case = tmp_path / "case"
    docket("ingest", src, "--no-enrich", case=case)
    before = _by_name(case)
    for name in ("رواتب.docx", "ledger.pdf", "payroll.xlsx", "أرشيف.7z", "secret.txt"):
        assert before[name]["status"] == "encrypted", name
    assert "--passwords" in before["ledger.pdf"]["message"]
    assert before["crypto.zip"]["status"] == "ok"  # its open member was read

    pw = _passwords(tmp_path / "pw.txt")
    again = docket("ingest", src, "--passwords", pw, "--no-enrich", "--json", case=case)
    summary = json.loads(again.stdout)
    # the docx, xlsx, pdf and 7z left encrypted, the zips holding locked members, the
    # docx no password opens
    assert summary["reopened"] == 7
    after = _by_name(case)
    for name in ("رواتب.docx", "ledger.pdf", "payroll.xlsx", "أرشيف.7z", "secret.txt", "نص.txt"):
        assert after[name]["status"] == "ok", (name, after[name])
    assert after["secret.txt"]["id"] == before["secret.txt"]["id"]  # the same item, filled in
    assert "none of the 5 passwords" in after["locked.docx"]["message"]
    events = [json.loads(line) for line in (case / "custody.log").read_text().splitlines()]
    rewritten = {r["id"] for e in events if e["event"] == "items" and e["run"] == 2
                 for r in e["items"]}  # fmt: skip
    assert before["plain.txt"]["id"] not in rewritten  # not redone
    assert before["readme.txt"]["id"] not in rewritten  # an open member read before: kept
    assert before["رواتب.docx"]["id"] in rewritten
    assert docket_json("verify", case=case)["ok"]
    _no_password_anywhere(case, again.stdout, again.stderr)
    # Without --passwords a re-run leaves the locked one alone.
    third = json.loads(docket("ingest", src, "--no-enrich", "--json", case=case).stdout)
    assert third["reopened"] == 0 and third["processed"] == 0


@pytest.mark.parametrize(
    ("content", "says"),
    [(None, "cannot read"), (b"\xff\xfe\x00bad", "not UTF-8"), (b"\n\r\n", "no passwords")],
)
def test_a_bad_password_file_is_a_bad_argument(
    tmp_path: Path, content: bytes | None, says: str
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.txt").write_text("a")
    pw = tmp_path / "pw.txt"
    if content is not None:
        pw.write_bytes(content)
    done = docket("ingest", tmp_path / "src", "--passwords", pw, case=tmp_path / "c", check=False)
    assert done.returncode == 2
    assert "--passwords" in done.stderr and says in done.stderr
    assert not (tmp_path / "c" / "case.db").exists()


def test_password_lines_are_taken_as_written() -> None:
    data = "\ufeff# not a comment\n  spaced  \n\nكلمة\r\nlast".encode()
    found = parse(data)
    assert [(p.value, p.line) for p in found] == [
        ("# not a comment", 1), ("  spaced  ", 2), ("كلمة", 4), ("last", 5),
    ]  # fmt: skip
    assert {p.file_sha256 for p in found} == {hashlib.sha256(data).hexdigest()}
    assert "كلمة" not in repr(found) and "spaced" not in repr(found)


def test_the_key_files_passwords_open_documents_too(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ledger.pdf").write_bytes(enc.pdf(PDF_PASSWORD))
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# exhibit 3\npassword: {PDF_PASSWORD}\n")
    case = tmp_path / "case"
    docket("ingest", tmp_path / "src", "--key-file", keys, "--no-enrich", case=case)
    (item,) = docket_lines("list", case=case)
    assert item["status"] == "ok"
    record = _show(case, item["id"])["metadata"]["decrypted"]
    assert record == {
        "source": "key file",
        "line": 2,
        "file_sha256": hashlib.sha256(keys.read_bytes()).hexdigest(),
    }


def test_legacy_office_and_sample_files(tmp_path: Path, samples: Path) -> None:
    """Tika's protected samples (password "tika"; the 7z "Tika"; a PDF of four spaces):
    Word, Excel and PowerPoint 97-2003 (RC4 CryptoAPI), which no tool here can write."""
    folder = samples / "formats"
    names = [
        "testWORD_protected_passtika.doc",
        "testEXCEL_protected_passtika.xls",
        "testPPT_protected_passtika.ppt",
        "testPPT_protected_passtika.pptx",
        "test7Z_protected_passTika.7z",
        "testPassword4Spaces.pdf",
    ]
    src = tmp_path / "src"
    src.mkdir()
    for name in names:
        (src / name).write_bytes((folder / name).read_bytes())
    pw = tmp_path / "pw.txt"
    pw.write_text("tika\nTika\n    \n")
    case = tmp_path / "case"
    docket("ingest", src, "--passwords", pw, "--no-enrich", case=case)
    items = _by_name(case)
    for name in names:
        assert items[name]["status"] == "ok", items[name]
    assert "encrypted Word 2007" in _show(case, items[names[0]]["id"])["text"]
    assert "Encrypted Excel" in _show(case, items[names[1]]["id"])["text"]
    assert "encrypted PowerPoint" in _show(case, items[names[2]]["id"])["text"]
    assert _show(case, items["testPassword4Spaces.pdf"]["id"])["metadata"]["decrypted"]["line"] == 3


def test_passwords_reach_the_workers_of_a_cluster(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from tests.fixtures.cluster import LoopbackCluster

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ledger.pdf").write_bytes(enc.pdf(PDF_PASSWORD))
    (tmp_path / "src" / "aes.zip").write_bytes(enc.zip_aes(PDF_PASSWORD, {"a.txt": b"alpha"}))
    pw = _passwords(tmp_path / "pw.txt")
    case = tmp_path / "case"
    with LoopbackCluster(workers=1) as cluster:
        docket("ingest", tmp_path / "src", "--passwords", pw, "--cluster", cluster.address,
               "--no-enrich", case=case)  # fmt: skip
    items = _by_name(case)
    assert {n: i["status"] for n, i in items.items()} == {
        "ledger.pdf": "ok", "aes.zip": "ok", "a.txt": "ok",
    }  # fmt: skip
    assert _show(case, items["ledger.pdf"]["id"])["metadata"]["decrypted"]["line"] == 4


def test_a_right_password_on_a_package_that_does_not_decrypt_is_corrupt(tmp_path: Path) -> None:
    """msoffcrypto 6.1 writes a package under 4 KiB that its own reader verifies but cannot
    decrypt: the password is right, the file is not, and the item says so."""
    import dataclasses
    import io

    from msoffcrypto.format.ooxml import OOXMLFile

    from docket.acquire.blobstore import BlobStore
    from docket.demo.writers.documents import make_docx
    from docket.extract.run import extract_file
    from docket.settings import DEFAULTS

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(make_docx(["short"]))).encrypt("s3cret-كلمة", out)
    path = tmp_path / "small.docx"
    path.write_bytes(out.getvalue())
    (tmp_path / "pw.txt").write_text("wrong\ns3cret-كلمة\n", encoding="utf-8")
    settings = dataclasses.replace(DEFAULTS, passwords=str(tmp_path / "pw.txt"))
    blobs = BlobStore(tmp_path / "blobs")
    result = extract_file(path, blobs, extension="docx", settings=settings)
    assert (result.status, result.code) == ("failed", "corrupt")
    assert "line 2 of the password list is right" in result.message
    assert "s3cret" not in result.message
    assert not list((tmp_path / "blobs" / "tmp").iterdir())  # no plaintext left behind
