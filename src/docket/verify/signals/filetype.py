"""The content says one type, the name another: renamed to hide, or saved oddly."""

from __future__ import annotations

from collections.abc import Iterator

from docket.verify.signals import ItemView, Signal


def check(view: ItemView) -> Iterator[Signal]:
    item = view.item
    if item.get("ext_mismatch"):
        ext = item.get("extension") or ""
        yield Signal(
            view.id,
            "type-extension-mismatch",
            "medium",
            f"named .{ext} but the content is {item.get('type') or 'unknown'}",
            {"extension": ext, "detected": item.get("type"), "mime": item.get("mime")},
        )
