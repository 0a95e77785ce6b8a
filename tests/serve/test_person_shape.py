"""A person has one shape: ``docket person --json``, ``/api/person/ID`` and the desk's
person page all show the read model ``docket.views.person``."""

from __future__ import annotations

import html
import json
import sqlite3
from typing import Any

from docket.serve.app import create_app
from docket.views.person import person
from tests.helpers import docket_json
from tests.serve.conftest import desk_client

KEYS = {"id", "type", "name", "variants", "mentions", "payments", "correspondents", "explain"}


def test_cli_api_and_desk_show_one_person(desk_case: dict[str, Any]) -> None:
    root = desk_case["case"]
    db = sqlite3.connect(root / "case.db")
    try:
        view = person(db, "p-hassan")
    finally:
        db.close()
    assert view is not None and set(view) >= KEYS
    expected = json.loads(json.dumps(view, ensure_ascii=False))
    client = desk_client(create_app(root))
    assert client.get("/api/person/p-hassan").json() == expected
    assert docket_json("person", "p-hassan", case=root) == expected
    page = html.unescape(client.get("/person/p-hassan").text)
    assert f"{view['n_mentions']} " in page and view["name"] in page
    quoted = [m for m in view["mentions"] if m["kind"] == "mention"]
    assert quoted and all(m["quote"] in page for m in quoted[:5])
    assert view["payments"] and all(p["date"] in page for p in view["payments"] if p["date"])
