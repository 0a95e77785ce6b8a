"""The desk's caches see every change to the case: their key holds its generation."""

from __future__ import annotations

from pathlib import Path

from docket.model.items import Segment
from docket.serve.cache import Memo, generation
from docket.store.catalogue import Catalogue


def test_generation_changes_with_the_catalogue(tmp_path: Path) -> None:
    cat = Catalogue(tmp_path / "case.db", create=True)
    before = generation(tmp_path)
    memo, calls = Memo(), []
    assert memo.get(("q", before), lambda: calls.append(1) or 1) == 1
    assert memo.get(("q", before), lambda: calls.append(1) or 2) == 1 and len(calls) == 1
    cat.add_item({"id": "x", "path": ["x"], "name": "x", "depth": 0, "status": "ok"})
    cat.replace_segments("x", [Segment("text")])
    after = generation(tmp_path)
    assert after != before
    assert memo.get(("q", after), lambda: 3) == 3
    cat.close()
