"""Stable item ids: derived from the source and the path inside it, so re-ingesting the
same source yields the same ids and nothing is done twice."""

from __future__ import annotations

import hashlib


def item_id(*parts: str) -> str:
    """A 16-hex-digit id from the parts that locate an item."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def root_id(source_abs: str, relpath: str) -> str:
    """Id of a file found directly in a source (a folder, or a single file)."""
    return item_id("src", source_abs, relpath)


def child_id(parent_id: str, index: int, name: str) -> str:
    """Id of the ``index``-th child (member, attachment, stream) of an item."""
    return item_id("child", parent_id, str(index), name)
