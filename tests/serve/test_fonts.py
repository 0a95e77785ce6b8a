"""Arabic type from the desk itself: Noto Naskh Arabic from the system's font package,
named by the style sheet, never fetched from anywhere else."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docket.case import Case
from docket.serve import fonts
from docket.serve.app import create_app
from tests.serve.conftest import desk_client


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    Case.open(tmp_path / "case", create=True).close()
    return desk_client(create_app(tmp_path / "case"))


def test_style_sheet_names_only_the_desk_s_own_fonts(client: TestClient) -> None:
    css = client.get("/static/desk.css").text
    assert 'url("/fonts/naskh-regular.ttf")' in css and "Docket Naskh" in css
    assert "http:" not in css and "https:" not in css and "//" not in css.replace("/*", "")


@pytest.mark.skipif(
    fonts.find("naskh-regular.ttf") is None, reason="fonts-noto-core is not installed"
)
def test_naskh_is_served_from_the_system_package(client: TestClient) -> None:
    r = client.get("/fonts/naskh-regular.ttf")
    assert r.status_code == 200 and r.headers["content-type"] == "font/ttf"
    assert r.content[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    assert client.get("/fonts/naskh-bold.ttf").status_code == 200


def test_a_missing_font_is_a_404_not_an_error(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path / "none"),))
    fonts._find.cache_clear()
    try:
        assert client.get("/fonts/naskh-regular.ttf").status_code == 404
        assert client.get("/fonts/..%2F..%2Fetc%2Fpasswd").status_code == 404
        assert client.get("/fonts/other.ttf").status_code == 404
    finally:
        fonts._find.cache_clear()
