"""Encrypted OpenDocument files opened with `docket ingest --passwords FILE`: the three
ways LibreOffice and OpenOffice encrypt (AES-256-CBC with PBKDF2, Blowfish CFB, and the
whole package in AES-256-GCM with Argon2id), built by code from the ODF spec; a real
LibreOffice file from the shared samples; what stays `encrypted`, and why."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docket.acquire.blobstore import BlobStore
from docket.demo.writers.tabular import make_ods
from docket.extract.run import extract_file
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS
from tests.fixtures import encrypted as enc
from tests.helpers import docket, docket_json, docket_lines

PASSWORD = "سر المكتب ١٤٤٥"


def _by_name(case: Path) -> dict[str, dict[str, Any]]:
    return {i["path"][-1].rsplit("/", 1)[-1]: i for i in docket_lines("list", case=case)}


def _source(root: Path) -> Path:
    root.mkdir(parents=True)
    for scheme in enc.ODF_SCHEMES:
        (root / f"محضر-{scheme}.odt").write_bytes(enc.odt(PASSWORD, scheme))
    (root / "locked.odt").write_bytes(enc.odt("nobody gave this one"))
    sheet = make_ods({"رواتب": [["الاسم", "المبلغ"], ["زيد بن علي", "500"]]})
    (root / "رواتب.ods").write_bytes(enc.encrypt_odf(sheet, PASSWORD, "wholesome"))
    return root


def test_each_odf_encryption_opens_with_the_list_and_custody_names_the_line(
    tmp_path: Path,
) -> None:
    src = _source(tmp_path / "src")
    pw = tmp_path / "pw.txt"
    pw.write_text(f"wrong\n\n{PASSWORD}\n", encoding="utf-8")
    digest = hashlib.sha256(pw.read_bytes()).hexdigest()
    case = tmp_path / "case"
    run = docket("ingest", src, "--passwords", pw, "--no-enrich", case=case)
    items = _by_name(case)
    for scheme in enc.ODF_SCHEMES:
        item = items[f"محضر-{scheme}.odt"]
        assert (item["type"], item["status"]) == ("odt", "ok"), (scheme, item)
        shown = docket_json("show", item["id"], case=case)
        record = shown["metadata"]["decrypted"]
        assert (record["source"], record["line"], record["file_sha256"]) == (
            "password list",
            3,
            digest,
        )
        assert len(record["plaintext_sha256"]) == 64
        assert shown["metadata"]["title"] == "محضر سري"  # meta.xml was encrypted too
        assert "أبو عمار النعيمي" in shown["text"]
    sheet = items["رواتب.ods"]
    assert (sheet["type"], sheet["status"]) == ("ods", "ok"), sheet["message"]
    assert "زيد بن علي" in docket_json("show", sheet["id"], case=case)["text"]
    locked = items["locked.odt"]
    assert (locked["status"], locked["code"]) == ("encrypted", "encrypted")
    assert "none of the 2 passwords tried opens it" in locked["message"]
    events = [json.loads(x) for x in (case / "custody.log").read_text().splitlines()]
    opened = {r["id"]: r for e in events if e["event"] == "decrypted" for r in e["items"]}
    assert {opened[items[f"محضر-{s}.odt"]["id"]]["line"] for s in enc.ODF_SCHEMES} == {3}
    hits = docket_json("search", "النعيمي", case=case)["hits"]
    assert len({h["id"] for h in hits}) == 3  # the three documents
    for f in (p for p in case.rglob("*") if p.is_file() and "blobs" not in p.parts):
        assert PASSWORD.encode("utf-8") not in f.read_bytes(), f
    assert PASSWORD not in run.stdout + run.stderr
    assert not list((case / "blobs" / "tmp").glob("decrypted-*"))  # plaintext removed


def test_without_a_list_it_says_how_and_a_rerun_opens_it(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "minutes.odt").write_bytes(enc.odt(PASSWORD))
    case = tmp_path / "case"
    docket("ingest", src, "--no-enrich", case=case)
    before = _by_name(case)["minutes.odt"]
    assert (before["status"], before["code"]) == ("encrypted", "encrypted")
    assert "--passwords" in before["message"]
    pw = tmp_path / "pw.txt"
    pw.write_text(f"{PASSWORD}\n", encoding="utf-8")
    again = json.loads(
        docket("ingest", src, "--passwords", pw, "--no-enrich", "--json", case=case).stdout
    )
    assert again["reopened"] == 1
    after = _by_name(case)["minutes.odt"]
    assert after["id"] == before["id"] and after["status"] == "ok"
    assert docket_json("verify", case=case)["ok"]


def _read(tmp: Path, data: bytes, password: str | None = PASSWORD) -> ExtractResult:
    """One file extracted as a worker does, with a password list of one line."""
    settings = DEFAULTS
    if password is not None:
        pw = tmp / "pw.txt"
        pw.write_text(password, encoding="utf-8")
        settings = dataclasses.replace(DEFAULTS, passwords=str(pw))
    path = tmp / "doc.odt"
    path.write_bytes(data)
    return extract_file(path, BlobStore(tmp / "blobs"), extension="odt", settings=settings)


def _rewrite(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            body = src.read(info)
            out.writestr(info, change(body) if info.filename == member else body)
    return buf.getvalue()


def test_a_cipher_not_read_stays_encrypted_naming_it(tmp_path: Path) -> None:
    odd = _rewrite(
        enc.odt(PASSWORD),
        "META-INF/manifest.xml",
        lambda b: b.replace(b"xmlenc#aes256-cbc", b"xmlenc#kw-camellia256"),
    )
    r = _read(tmp_path, odd)
    assert (r.status, r.code) == ("encrypted", "encrypted")
    assert "kw-camellia256" in (r.message or "") and "not one Docket decrypts" in (r.message or "")


def test_a_damaged_encrypted_member_is_a_clear_failure_not_a_crash(tmp_path: Path) -> None:
    # The password opens meta.xml (the smallest member, on which passwords are tried) but
    # content.xml is damaged: failed, corrupt, naming the line, never a crash nor the password.
    cut = _rewrite(enc.odt(PASSWORD, "aes-cbc"), "content.xml", lambda b: bytes(16) + b[16:])
    r = _read(tmp_path, cut)
    assert (r.status, r.code) == ("failed", "corrupt"), (r.status, r.code, r.message)
    assert "line 1 of the password list" in (r.message or "")
    assert PASSWORD not in (r.message or "")
    # A wrong password is never taken for a right one on a damaged file.
    (tmp_path / "w").mkdir()
    wrong = _read(tmp_path / "w", cut, "not it")
    assert (wrong.status, wrong.code) == ("encrypted", "encrypted")


def test_a_real_libreoffice_file_from_the_samples(samples: Path, tmp_path: Path) -> None:
    # Apache Tika's encrypted ODT (LibreOffice: AES-256-CBC, PBKDF2 100,000 rounds; its
    # meta.xml encrypted too), whose password is "tika".
    path = samples / "formats" / "testODTEncrypted.odt"
    if not path.exists():
        pytest.skip("testODTEncrypted.odt is not among the samples")
    locked = (
        _read(tmp_path / "a", path.read_bytes(), None) if (tmp_path / "a").mkdir() is None else None
    )
    assert locked is not None and locked.status == "encrypted"
    (tmp_path / "b").mkdir()
    r = _read(tmp_path / "b", path.read_bytes(), "tika")
    assert (r.type, r.status) == ("odt", "ok")
    assert "This should be encrypted." in " ".join(seg.text for seg in r.segments)
    assert r.metadata["decrypted"]["line"] == 1


def test_argon2_parameters_that_cannot_be_computed_are_told_not_a_crash(tmp_path: Path) -> None:
    odd = _rewrite(
        enc.odt(PASSWORD, "wholesome"),
        "META-INF/manifest.xml",
        lambda b: b.replace(b'loext:argon2-lanes="4"', b'loext:argon2-lanes="0"'),
    )
    r = _read(tmp_path, odd)
    assert (r.status, r.code) == ("encrypted", "encrypted"), r.message
    assert "Argon2id" in (r.message or "") and PASSWORD not in (r.message or "")


def _odp(slides: list[str]) -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    pages = "".join(
        f'<draw:page draw:name="p{n}"><draw:frame><draw:text-box><text:p>{text}</text:p>'
        "</draw:text-box></draw:frame></draw:page>"
        for n, text in enumerate(slides, 1)
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}'
        f' office:version="1.2"><office:body><office:presentation>{pages}'
        "</office:presentation></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.presentation")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_an_encrypted_presentation_opens_slide_by_slide(tmp_path: Path) -> None:
    data = enc.encrypt_odf(_odp(["خطة العملية", "الأسماء والمبالغ"]), PASSWORD, "aes-cbc")
    path = tmp_path / "deck.odp"
    path.write_bytes(data)
    pw = tmp_path / "pw.txt"
    pw.write_text(f"{PASSWORD}\n", encoding="utf-8")
    settings = dataclasses.replace(DEFAULTS, passwords=str(pw))
    r = extract_file(path, BlobStore(tmp_path / "blobs"), extension="odp", settings=settings)
    assert (r.type, r.status) == ("odp", "ok"), r.message
    assert r.metadata["pages"] == 2
    assert [s.text for s in r.segments] == ["خطة العملية", "الأسماء والمبالغ"]
