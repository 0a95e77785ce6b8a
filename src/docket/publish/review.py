"""The analyst's decisions on marks — accept, reject, draw, make a person public — each
written to the catalogue and logged in custody in one transaction. The command line
(``docket redact``) and the desk's review page both call these, so a decision is recorded
the same way wherever it was made."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from docket.case import Case
from docket.model.errors import BadArguments
from docket.publish.suggest import now
from docket.text.normalize import find_phrases, normalize

T = TypeVar("T")


def _logged(
    case: Case, write: Callable[[], T], event: str,
    more: Callable[[T], dict[str, Any]] | None = None, **fields: Any,
) -> T:  # fmt: skip
    """``write()`` and its custody entry (``fields``, and ``more(result)``), both or neither."""
    return case.logged(write, event, lambda result: {**fields, **(more(result) if more else {})})


def decide(
    case: Case, ids: Iterable[int], state: str, *, item: str | None = None,
    reviewer: str | None = None,
) -> int:  # fmt: skip
    """Accept or reject marks ``ids`` (and, with ``item``, every proposal of that item);
    returns how many changed."""
    cat = case.catalogue
    chosen = list(ids)
    if item is not None:
        if cat.item(item) is None:
            raise BadArguments(f"no item {item}")
        chosen += [m["id"] for m in cat.marks(item, states=("proposed",))]
    elif not chosen:
        raise BadArguments("name the marks (ids) or an item for all its proposals")
    unknown = set(chosen) - {m["id"] for m in cat.marks(ids=chosen)}
    if unknown:
        raise BadArguments(f"no mark {', '.join(map(str, sorted(unknown)))}")
    who = reviewer or getpass.getuser()
    return _logged(case, lambda: cat.decide_marks(chosen, state, who, now()), "marks",
                   action=state, marks=sorted(chosen), reviewer=who)  # fmt: skip


def draw(
    case: Case, item: str, *, page: int = 1, box: tuple[float, float, float, float] | None = None,
    text: str = "", reason: str = "analyst", reviewer: str | None = None,
) -> list[int]:  # fmt: skip
    """A mark drawn by hand, accepted at once: ``box`` on ``page`` (fractions of the page
    from its top-left corner) or every place the item's text has ``text``."""
    cat = case.catalogue
    if cat.item(item) is None:
        raise BadArguments(f"no item {item}")
    who, time = reviewer or getpass.getuser(), now()
    base = {"item_id": item, "reason": reason or "analyst", "origin": "drawn",
            "state": "accepted", "time": time}  # fmt: skip
    if box is not None:
        x0, y0, x1, y1 = box
        if not (0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1) or page < 1:
            raise BadArguments(
                "a box is four fractions of the page: 0 <= x0 < x1 <= 1, 0 <= y0 < y1 <= 1"
            )
        marks = [{**base, "kind": "box", "page": page, "box": [x0, y0, x1, y1]}]
    elif text.strip():
        marks = [
            {
                **base,
                "kind": "box",
                "segment": s["seq"],
                "start": a,
                "end": b,
                "text": s["text"][a:b],
            }
            for s in cat.segments(item)
            for a, b, _ in find_phrases(s["text"], [text])
        ]
        if not marks:
            raise BadArguments(f"{item} does not contain {text!r}")
    else:
        raise BadArguments("draw a box or give a text")

    def write() -> list[int]:
        new = cat.add_marks(marks)
        cat.decide_marks(new, "accepted", who, time)
        return new

    return _logged(case, write, "marks", lambda new: {"marks": new}, action="drawn",
                   reviewer=who)  # fmt: skip


def make_public(
    case: Case, entity_id: str, *, public: bool = True, reason: str = "",
    actor: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Mark a person public (never proposed) or private again; returns the entity."""
    cat = case.catalogue
    e = cat.entity(entity_id)
    if e is None:
        raise BadArguments(f"no entity {entity_id}")
    names = sorted({normalize(n) for n in [e["name"], *e["variants"]]})
    who = actor or getpass.getuser()
    _logged(case, lambda: cat.set_public(names, e["id"], who, now(), reason or None, public=public),
            "public" if public else "private", entity=e["id"], names=names, actor=who,
            reason=reason)  # fmt: skip
    return {**e, "spellings": names}
