"""The desk's redaction review page: original and redacted side by side, marks decided
with the same catalogue rows and custody entries as `docket redact`, boxes drawn."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docket.serve.app import create_app
from tests.helpers import docket, docket_json, docket_lines
from tests.publish import fixtures
from tests.serve.conftest import desk_client

pytestmark = [
    pytest.mark.skipif(
        not any(shutil.which(c) for c in ("chromium", "chromium-browser")), reason="needs chromium"
    ),
    pytest.mark.xdist_group("publish"),
]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review")
    src = root / "src"
    src.mkdir()
    (src / "transfer.eml").write_bytes(fixtures.email())
    (src / "photo.jpg").write_bytes(fixtures.gps_jpeg())
    docket("ingest", src, case=root / "case")
    docket("redact", "suggest", "--no-faces", case=root / "case")
    return root / "case"


@pytest.fixture(scope="module")
def client(case: Path) -> TestClient:
    return desk_client(create_app(case))


def _ids(case: Path) -> dict[str, str]:
    return {Path(r["path"][-1]).name: r["id"] for r in docket_lines("list", case=case)}


def _nonce(page: str) -> str:
    found = re.search(r'name="nonce" value="([^"]+)"', page)
    assert found
    return found.group(1)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_review_page_shows_marks_original_and_redacted(client: TestClient, case: Path,
                                                       lang: str) -> None:  # fmt: skip
    mail = _ids(case)["transfer.eml"]
    page = client.get(f"/redact/{mail}?lang={lang}")
    assert page.status_code == 200
    assert fixtures.ENGLISH_NAME in page.text  # the proposal, quoted
    assert f'src="/redact/{mail}/page/1.png"' in page.text
    assert ("Redaction review" if lang == "en" else "مراجعة الحجب") in page.text
    assert 'src="/static/redact.js"' in page.text
    image = client.get(f"/redact/{mail}/page/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert client.get(f"/redact/{mail}/page/9.png").status_code == 404
    assert client.get("/redact/nope").status_code == 404


def test_decisions_are_recorded_like_the_cli(client: TestClient, case: Path) -> None:
    mail = _ids(case)["transfer.eml"]
    marks = docket_json("redact", "list", "--item", mail, case=case)
    first = marks[0]["id"]
    page = client.get(f"/redact/{mail}").text
    forged = client.post(f"/redact/{mail}/decide", data={"nonce": "x", "mark": first,
                                                          "state": "accepted"})  # fmt: skip
    assert forged.status_code == 403
    done = client.post(
        f"/redact/{mail}/decide",
        data={"nonce": _nonce(page), "mark": str(first), "state": "rejected"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = {m["id"]: m for m in docket_json("redact", "list", "--item", mail, case=case)}
    assert after[first]["state"] == "rejected" and after[first]["reviewer"]
    last = json.loads((case / "custody.log").read_text().splitlines()[-1])
    assert last["event"] == "marks" and last["action"] == "rejected" and last["marks"] == [first]
    assert docket("verify", case=case).returncode == 0


def test_a_box_drawn_on_the_desk_burns_in(client: TestClient, case: Path) -> None:
    photo = _ids(case)["photo.jpg"]
    page = client.get(f"/redact/{photo}").text
    assert 'class="drawable"' in page
    bad = client.post(f"/redact/{photo}/draw", data={"nonce": _nonce(page), "page": "1",
                      "x0": "0.8", "y0": "0.1", "x1": "0.2", "y1": "0.5"})  # fmt: skip
    assert bad.status_code == 400
    client.post(f"/redact/{photo}/draw", data={"nonce": _nonce(page), "page": "1",
                "x0": "0.1", "y0": "0.6", "x1": "0.9", "y1": "0.9"})  # fmt: skip
    drawn = [m for m in docket_json("redact", "list", "--item", photo, case=case)]
    assert drawn and drawn[-1]["state"] == "accepted" and drawn[-1]["box"] == [0.1, 0.6, 0.9, 0.9]
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(client.get(f"/redact/{photo}/page/1.png").content)).convert("L")
    w, h = image.size
    assert image.getpixel((w // 2, int(h * 0.75))) < 20
    assert image.getpixel((w // 2, int(h * 0.3))) > 60
