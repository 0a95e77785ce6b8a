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


def test_a_key_asked_while_computing_is_computed_once() -> None:
    """Threads asking for an answer another thread is computing wait for it; an answer
    that failed is computed again by the next thread to ask, not lost."""
    import threading

    memo, calls, started, release = Memo(), [], threading.Event(), threading.Event()

    def slow() -> int:
        calls.append(1)
        started.set()
        release.wait(5)
        return 42

    answers: list[int] = []
    first = threading.Thread(target=lambda: answers.append(memo.get("k", slow)))
    first.start()
    started.wait(5)
    others = [
        threading.Thread(target=lambda: answers.append(memo.get("k", slow))) for _ in range(4)
    ]
    for t in others:
        t.start()
    release.set()
    for t in [first, *others]:
        t.join(5)
    assert answers == [42] * 5 and len(calls) == 1

    def broken() -> int:
        raise ValueError("no answer")

    try:
        memo.get("bad", broken)
    except ValueError:
        pass
    assert memo.get("bad", lambda: 7) == 7
