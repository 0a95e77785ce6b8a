"""Terminal rendering helpers: snippets with highlights, item details, Arabic text."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.console import Console
from rich.markup import escape

_B = re.compile(r"<b>(.*?)</b>", re.S)


def terminal_snippet(snippet: str) -> str:
    """Turn a ``<b>``-marked, HTML-escaped snippet into rich markup."""
    parts, pos = [], 0
    for m in _B.finditer(snippet):
        parts.append(escape(html.unescape(snippet[pos : m.start()])))
        parts.append("[bold yellow]" + escape(html.unescape(m.group(1))) + "[/]")
        pos = m.end()
    parts.append(escape(html.unescape(snippet[pos:])))
    return "".join(parts)


def print_item(console: Console, d: dict[str, Any]) -> None:
    console.print(f"[bold]{d['id']}[/]  {' / '.join(d['path'])}")
    console.print(
        f"type {d['type']}  size {d['size']}  status {d['status']}"
        + (f" ({d['code']}: {d['message']})" if d.get("code") else "")
    )
    console.print(f"sha256 {d['sha256']}")
    for key, value in (d.get("metadata") or {}).items():
        console.print(f"  {key}: {escape(str(value))[:300]}")
    if d.get("children"):
        console.print(f"children: {len(d['children'])}")
    console.print()
    console.print(escape(d.get("text") or ""))
