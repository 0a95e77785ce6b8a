"""One page of a long list, and what the page says about the rest: every list the desk
shows either holds everything or says how many there are and how to reach the others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Page(Generic[T]):
    """Rows ``first``–``last`` (1-based) of ``total``, page ``page`` of ``pages``."""

    __slots__ = ("page", "pages", "rows", "size", "total")

    def __init__(self, rows: list[T], page: int, size: int, total: int) -> None:
        self.rows, self.page, self.size, self.total = rows, page, size, total
        self.pages = max(1, -(-total // size))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.size + len(self.rows)


def paged(items: Sequence[T], page: int, size: int) -> Page[T]:
    """Page ``page`` (from 1; out of range: the nearest) of ``items``."""
    pages = max(1, -(-len(items) // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return Page(list(items[start : start + size]), page, size, len(items))


def clamp(page: int) -> int:
    return max(1, page)
