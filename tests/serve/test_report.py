"""``docket export report``: one self-contained HTML file, every claim citing its source."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from tests.helpers import docket


def test_report_is_self_contained_and_cites_sources(
    desk_case: dict[str, Any], tmp_path: Any
) -> None:
    from docket.serve.app import create_app
    from tests.serve.conftest import desk_client

    client = desk_client(create_app(desk_case["case"]))
    nonce = re.search(
        r'name="nonce" value="([^"]+)"', client.get(f"/item/{desk_case['letter']}").text
    ).group(1)
    client.post(
        "/findings",
        data={
            "nonce": nonce,
            "item": desk_case["letter"],
            "title": "<b>Report</b> claim",
            "entity": desk_case["entity"],
            "page": "1",
            "quote": "transfer 1,500 USD",
        },
    )
    html = docket("export", "report", case=desk_case["case"]).stdout
    assert "<b>Report</b>" not in html and "&lt;b&gt;Report&lt;/b&gt; claim" in html
    assert (
        f'href="#src-{desk_case["letter"]}"' in html and f'id="src-{desk_case["letter"]}"' in html
    )
    sha = client.get(f"/api/item/{desk_case['letter']}").json()["sha256"]
    assert sha in html and desk_case["name"] in html
    assert "Caveat" in html and "metadata-date" in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)
    assert "<script" not in html.lower()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_report_pdf(desk_case: dict[str, Any], tmp_path: Any) -> None:
    target = tmp_path / "report.pdf"
    docket("export", "report", "--pdf", "-o", target, case=desk_case["case"])
    assert target.read_bytes()[:5] == b"%PDF-"
