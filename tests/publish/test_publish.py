"""Publishing safely, end to end through the CLI: proposals from every spelling of a
person, faces and patterns; true redaction (image-only pages, no metadata); the check
that refuses an output still holding a redacted name; the bundle and its verification."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docket.acquire.blobstore import BlobStore
from docket.extract.run import extract_file
from tests.helpers import docket, docket_json, docket_lines
from tests.publish import fixtures

pytestmark = [
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract"),
    pytest.mark.skipif(
        not any(shutil.which(c) for c in ("chromium", "chromium-browser")), reason="needs chromium"
    ),
    pytest.mark.xdist_group("publish"),
]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("publish")
    docket("ingest", fixtures.cache(root / "src"), case=root / "case")
    return root / "case"


def _items(case: Path) -> dict[str, str]:
    return {Path(r["path"][-1]).name: r["id"] for r in docket_lines("list", case=case)}


def _read(pdf: Path, tmp: Path) -> tuple[str, dict]:
    """The output as Docket reads it: text layer, else OCR; and its metadata."""
    result = extract_file(pdf, BlobStore(tmp / "blobs"), extension="pdf")
    return "\n".join(s.text for s in result.segments), result.metadata


def test_suggestions_cover_every_spelling_faces_and_patterns(case: Path) -> None:
    docket_json("redact", "suggest", case=case)  # the first call here or in a test before
    marks = docket_json("redact", "list", case=case)
    kinds = [m["kind"] for m in marks]
    assert kinds.count("face") == 1  # the scan's face
    assert kinds.count("email") >= 2
    assert kinds.count("plate") == 1 and kinds.count("address") == 1
    items = _items(case)
    texts = {(m["item_id"], m["text"]) for m in marks if m["kind"] == "person"}
    # the Arabic spelling in the right-to-left PDF and the English one in the e-mail
    assert (items["letter.pdf"], fixtures.ARABIC_NAME) in texts
    assert (items["transfer.eml"], fixtures.ENGLISH_NAME) in texts
    face = [m for m in marks if m["kind"] == "face"]
    assert face[0]["item_id"] == items["form.png"] and face[0]["page"] == 1
    # suggesting again adds nothing and reopens nothing
    assert docket_json("redact", "suggest", case=case)["added"] == {}


def test_unreviewed_proposals_block_publication(case: Path, tmp_path: Path) -> None:
    docket_json("redact", "suggest", case=case)  # proposals nobody has reviewed yet
    letter = _items(case)["letter.pdf"]
    proc = docket("publish", letter, "-o", tmp_path / "out", case=case, check=False)
    assert proc.returncode == 2
    assert "nobody reviewed" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_publish_redacts_names_in_both_scripts_and_verifies(case: Path, tmp_path: Path) -> None:
    items = _items(case)
    docket_json("redact", "suggest", case=case)
    marks = docket_json("redact", "list", case=case)
    # the analyst rejects what NER took for people (a mailbox, a checkpoint), accepts the rest
    wrong = [
        str(m["id"])
        for m in marks
        if m["kind"] == "person" and m["text"].lower() in ("archive", "checkpoint")
    ]
    if wrong:
        docket("redact", "reject", *wrong, case=case)
    for item in items.values():
        docket("redact", "accept", "--item", item, case=case)
    out = tmp_path / "bundle"
    manifest = docket_json("publish", *items.values(), "-o", out, case=case)
    assert len(manifest["outputs"]) == len(items)
    by_item = {e["item"]: e for e in manifest["outputs"]}

    letter_text, letter_meta = _read(out / by_item[items["letter.pdf"]]["output"], tmp_path)
    assert "الأرشيف" in letter_text  # the rest is still readable
    assert "الكريم" not in letter_text
    assert fixtures.AUTHOR not in json.dumps(letter_meta, ensure_ascii=False)
    mail_text, _ = _read(out / by_item[items["transfer.eml"]]["output"], tmp_path)
    assert "northern checkpoint" in mail_text
    assert "Hassan" not in mail_text and "office@example.org" not in mail_text
    assert "45123" not in mail_text and "Baghdad Street" not in mail_text
    # the classic failure: a black box over live text; the output has no text beneath it
    black_text, _ = _read(out / by_item[items["blackbox.pdf"]]["output"], tmp_path)
    assert "Field report" in black_text and "Pemberton" not in black_text
    # EXIF (camera, GPS) is gone
    _, photo_meta = _read(out / by_item[items["photo.jpg"]]["output"], tmp_path)
    assert "gps_latitude" not in photo_meta and fixtures.CAMERA not in json.dumps(photo_meta)
    raw = b"".join(p.read_bytes() for p in out.glob("*.pdf"))
    assert b"Kestrel" not in raw and b"/Info" not in raw and b"/Font" not in raw

    assert docket("verify-bundle", out).returncode == 0
    custody = (case / "custody.log").read_text()
    assert '"publish"' in custody and '"redact-suggest"' in custody

    # a changed output, or one added behind the manifest's back, fails the check
    victim = out / by_item[items["photo.jpg"]]["output"]
    victim.write_bytes(victim.read_bytes() + b"\n")
    (out / "extra.pdf").write_bytes(b"%PDF-1.4\n")
    report = json.loads(docket("verify-bundle", out, "--json", check=False).stdout)
    assert any("SHA-256 differs" in p for p in report["problems"])
    assert any("extra.pdf" in p for p in report["problems"])
    assert docket("verify-bundle", out, check=False).returncode == 1


def test_an_output_still_holding_a_name_is_refused(case: Path, tmp_path: Path) -> None:
    """The verifier's must-reject case: one occurrence of the English name rejected, the
    other accepted — the name is still on the page, so nothing is written."""
    mail = _items(case)["transfer.eml"]
    docket_json("redact", "suggest", case=case)
    marks = docket_json("redact", "list", "--item", mail, case=case)
    named = [m for m in marks if m["text"] == fixtures.ENGLISH_NAME]
    assert len(named) == 2
    docket("redact", "accept", "--item", mail, case=case)
    docket("redact", "reject", str(named[1]["id"]), case=case)
    out = tmp_path / "refused"
    proc = docket("publish", mail, "-o", out, case=case, check=False)
    assert proc.returncode == 1
    assert "refused" in proc.stderr and mail in proc.stderr and "page 1" in proc.stderr
    assert not out.exists() and not list(tmp_path.glob(".refused*"))
    docket("redact", "accept", str(named[1]["id"]), case=case)


def test_public_people_are_not_proposed(tmp_path: Path) -> None:
    case = tmp_path / "case"
    docket("ingest", fixtures.cache(tmp_path / "src"), "--no-enrich", case=case)
    docket("enrich", case=case)
    person = next(
        e for e in docket_json("entities", "--type", "person", case=case)
        if fixtures.ARABIC_NAME in e["variants"]
    )  # fmt: skip
    docket("redact", "public", person["id"], "--reason", "official", case=case)
    docket("redact", "suggest", "--no-faces", case=case)
    texts = {m["text"] for m in docket_json("redact", "list", case=case)}
    assert fixtures.ARABIC_NAME not in texts and fixtures.ENGLISH_NAME not in texts


def test_drawn_box_burns_in(case: Path, tmp_path: Path) -> None:
    photo = _items(case)["photo.jpg"]
    docket("redact", "draw", photo, "--box", "0.1,0.6,0.9,0.9", case=case)
    bad = docket("redact", "draw", photo, "--box", "0.9,0.1,0.2,0.5", case=case, check=False)
    assert bad.returncode == 2
    docket("redact", "accept", "--item", photo, case=case)
    out = tmp_path / "b"
    docket("publish", photo, "-o", out, case=case)
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(next(out.glob("*.pdf"))))[0].render(scale=0.5).to_pil()
    w, h = page.size
    assert page.convert("L").getpixel((w // 2, int(h * 0.75))) < 20  # burned black
    assert page.convert("L").getpixel((w // 2, int(h * 0.3))) > 60  # the sky is kept


def test_a_name_on_a_scan_is_burned_into_the_image(case: Path, tmp_path: Path) -> None:
    """A span found by OCR is found again on the page image and blacked out there."""
    note = _items(case)["note.png"]
    docket("redact", "draw", note, "--text", fixtures.SCANNED_NAME, case=case)
    docket("redact", "accept", "--item", note, case=case)
    out = tmp_path / "scan"
    manifest = docket_json("publish", note, "-o", out, case=case)
    assert manifest["outputs"][0]["not_located"] == []
    text, _ = _read(out / manifest["outputs"][0]["output"], tmp_path)
    assert "Informant" in text and "Pemberton" not in text
