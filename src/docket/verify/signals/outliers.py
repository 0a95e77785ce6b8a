"""Outliers within the cache: a producer almost nobody else used, an author who differs
from the rest of a set of similar documents (a near-duplicate group, or the documents of
one folder made by one program).

An office's papers tend to come from the same few programs and the same few people; one
document that does not fits the pattern of a later insertion, or of an ordinary
exception. These are the weakest signals, and reported as ``low``.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from docket.verify.signals import ItemView, Signal

MIN_CACHE = 10  # fewer documents with a producer than this: no pattern to stand out from
DOMINANT = 0.5  # the commonest producer must make at least this share
MIN_FOLDER_SET = 4
FOLDER_MAJORITY = 0.75
_VERSION = re.compile(r"[\d.,_()®™©:;/\-]+")


def producer_family(view: ItemView) -> str | None:
    """The producer with versions and punctuation removed: 'LibreOffice 7.3' -> 'libreoffice'."""
    meta = view.meta
    name = meta.get("producer") or meta.get("application")
    if not isinstance(name, str) or not name.strip():
        return None
    return " ".join(_VERSION.sub(" ", name).casefold().split()) or None


def rare_producers(views: Sequence[ItemView]) -> Iterator[Signal]:
    families = {v.id: f for v in views if (f := producer_family(v))}
    counts = Counter(families.values())
    total = sum(counts.values())
    if total < MIN_CACHE or counts.most_common(1)[0][1] < DOMINANT * total:
        return
    rare = max(1, int(0.02 * total))
    for view in views:
        family = families.get(view.id)
        if family and counts[family] <= rare:
            yield Signal(
                view.id,
                "producer-outlier",
                "low",
                f"made with {view.meta.get('producer') or view.meta.get('application')!r}, "
                f"which {counts[family]} of {total} documents in the cache name; most name "
                f"{counts.most_common(1)[0][0]!r}",
                {"producer": family, "count": counts[family], "documents": total,
                 "common": dict(counts.most_common(3))},
            )  # fmt: skip


def _author(view: ItemView) -> str | None:
    author = view.meta.get("author")
    return (
        " ".join(author.casefold().split()) if isinstance(author, str) and author.strip() else None
    )


def _folder(view: ItemView) -> tuple[str, ...]:
    path = list(view.item.get("path") or [""])
    return (*path[:-1], posixpath.dirname(path[-1]))


def odd_authors(views: Sequence[ItemView]) -> Iterator[Signal]:
    sets: dict[tuple[str, ...], list[ItemView]] = defaultdict(list)
    for view in views:
        if _author(view) is None:
            continue
        if view.group is not None:
            sets[("near-duplicates", str(view.group))].append(view)
        family = producer_family(view)
        if family:
            sets[("folder", *_folder(view), family)].append(view)
    seen: set[str] = set()
    for key, members in sets.items():
        near = key[0] == "near-duplicates"
        if len(members) < (2 if near else MIN_FOLDER_SET):
            continue
        authors = Counter(_author(v) for v in members)
        if len(authors) < 2:
            continue
        common, n = authors.most_common(1)[0]
        if n == 1:  # all different: the first document's author is the reference
            common = _author(members[0])
        if not near and (n < FOLDER_MAJORITY * len(members)):
            continue
        for view in members:
            author = _author(view)
            if author == common or view.id in seen or (not near and authors[author] > 1):
                continue
            seen.add(view.id)
            where = (
                "its near-duplicates"
                if near
                else "the other documents of its folder made with the same program"
            )
            yield Signal(
                view.id,
                "author-outlier",
                "low",
                f"author {view.meta.get('author')!r} differs from {where}, which name "
                f"{common!r}",
                {"author": view.meta.get("author"), "common_author": common,
                 "set": list(key), "members": [v.id for v in members]},
            )  # fmt: skip
