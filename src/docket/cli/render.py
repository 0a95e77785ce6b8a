"""Terminal rendering helpers: snippets with highlights, item details, Arabic text.

Text is stored in logical order. Most terminals draw characters left to right as they
come and do not join Arabic letters, so lines holding Arabic are shaped
(``arabic_reshaper``) and put in visual order (python-bidi ``get_display``) — only when
writing to a terminal; ``--json`` and pipes get the stored text untouched. Highlights
survive reordering as toggle marks (C0 controls, bidi class BN, which the algorithm
carries along without moving words around them).
"""

from __future__ import annotations

import html
import re
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape

from docket.cli.common import shown, uncontrolled

_B = re.compile(r'<b( class="xscript")?>(.*?)</b>', re.S)
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_HIT, _XHIT = "\x01", "\x03"
_STYLE = {_HIT: "bold yellow", _XHIT: "bold magenta"}


def visual(line: str) -> str:
    """A logical-order line as a plain terminal must draw it (unchanged without Arabic)."""
    if not _ARABIC.search(line):
        return line
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(line))


def _bidi_wanted(console: Console | None) -> bool:
    if console is not None:
        return console.is_terminal
    return sys.stdout.isatty()


def terminal_snippet(snippet: str, console: Console | None = None) -> str:
    """Turn a ``<b>``-marked, HTML-escaped snippet into rich markup. Cross-script
    matches (``<b class="xscript">``) get their own colour and a leading ``≈``."""
    plain, pos, crossed = [], 0, False
    for m in _B.finditer(snippet):
        mark = _XHIT if m.group(1) else _HIT
        crossed = crossed or bool(m.group(1))
        plain.append(_text(snippet[pos : m.start()]))
        plain.append(mark + _text(m.group(2)) + mark)
        pos = m.end()
    plain.append(_text(snippet[pos:]))
    text = "".join(plain)
    if _bidi_wanted(console):
        text = "\n".join(visual(line) for line in text.split("\n"))
    out: list[str] = []
    buf: list[str] = []
    open_mark: str | None = None
    for ch in text:
        if ch in _STYLE:
            out.append(escape("".join(buf)))
            buf = []
            if open_mark is None:
                open_mark = ch
                out.append(f"[{_STYLE[ch]}]")
            else:
                open_mark = None
                out.append("[/]")
        else:
            buf.append(ch)
    out.append(escape("".join(buf)))
    if open_mark is not None:
        out.append("[/]")
    return ("[magenta]≈[/] " if crossed else "") + "".join(out)


def _text(fragment: str) -> str:
    # Document text may hold the highlight marks themselves, ESC sequences, bidi overrides.
    return uncontrolled(html.unescape(fragment), keep_lines=True)


def print_item(console: Console, d: dict[str, Any]) -> None:
    bidi = _bidi_wanted(console)

    def show(s: str, keep_lines: bool = False) -> str:
        s = uncontrolled(s, keep_lines=keep_lines)
        return escape("\n".join(visual(line) for line in s.split("\n")) if bidi else s)

    console.print(f"[bold]{d['id']}[/]  {' / '.join(show(p) for p in d['path'])}")
    console.print(
        f"type {shown(d['type'])}  size {d['size']}  status {d['status']}"
        + (f" ({shown(d['code'])}: {shown(d['message'] or '')})" if d.get("code") else "")
    )
    console.print(f"sha256 {d['sha256']}")
    for key, value in (d.get("metadata") or {}).items():
        console.print(f"  {shown(key)}: {show(str(value)[:300])}")
    if d.get("children"):
        console.print(f"children: {len(d['children'])}")
    console.print()
    console.print(show(d.get("text") or "", keep_lines=True))
