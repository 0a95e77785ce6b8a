"""JSON and JSON Lines: string values as text, each prefixed by its key path for context.

The walk is iterative (a deeply nested document cannot exhaust the stack) and stops when
the sink's text budget is spent. JSON Lines is read a line at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docket.extract.base import Extractor
from docket.extract.detect import Probe
from docket.extract.documents._common import BLOCK
from docket.extract.encoding import guess_encoding
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

MAX_DOCUMENT = 256 * 1024 * 1024  # a single JSON document is parsed whole


def strings(value: Any, prefix: str = "") -> Iterator[str]:
    """``key.path: value`` for each string (and number) leaf, in document order."""
    stack: list[tuple[str, Any]] = [(prefix, value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((f"{path}.{k}" if path else str(k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((path, v) for v in reversed(node))
        elif isinstance(node, str):
            if node.strip():
                yield f"{path}: {node}" if path else node
        elif isinstance(node, int | float) and not isinstance(node, bool):
            yield f"{path}: {node}" if path else str(node)


def _emit(sink: Sink, lines: Iterator[str], part: str) -> None:
    buf: list[str] = []
    size = 0
    for line in lines:
        if sink.text_chars >= sink.limits.max_text:
            break
        buf.append(line)
        size += len(line) + 1
        if size >= BLOCK:
            sink.text("\n".join(buf), part=part)
            buf, size = [], 0
    sink.text("\n".join(buf), part=part)


def _first_lines_parse(text: str, n: int = 5) -> bool:
    """True when the first lines are each a JSON value on their own (JSON Lines)."""
    lines = [line for line in text.splitlines()[: n * 2] if line.strip()][:n]
    try:
        return bool(lines) and all(json.loads(line) is not None or True for line in lines)
    except (ValueError, RecursionError):
        return False


def _concatenated(text: str) -> list[Any]:
    """Values written one after another (``{…}{…}`` or pretty-printed records); empty
    unless the whole text reads that way."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos = 0
    try:
        while True:
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos >= len(text):
                return values
            value, pos = decoder.raw_decode(text, pos)
            values.append(value)
    except (ValueError, RecursionError):
        return []


def _looks_like_json(text: str, complete: bool) -> bool:
    if complete:
        try:
            # raw_decode accepts a first value followed by more: JSON Lines and
            # concatenated documents count as JSON too.
            json.JSONDecoder().raw_decode(text)
            return True
        except ValueError:
            return all(_json_line(line) for line in text.splitlines()[:5] if line.strip())
    return bool(re.match(r'[\[{]\s*("|\{|\[|\d|-|true|false|null|\]|\})', text))


def _json_line(line: str) -> bool:
    try:
        json.loads(line)
        return True
    except ValueError:
        return False


def _sniff(probe: Probe) -> bool:
    if probe.text is None or probe.markup or probe.stripped[:1] not in ("{", "["):
        return False
    return _looks_like_json(probe.stripped, probe.complete)


JSON = FileType(
    "json",
    "application/json",
    "data",
    ("json", "geojson", "jsonl"),
    sniff=_sniff,
    order=42,
)


class JsonExtractor(Extractor):
    name = "json"
    file_types = (JSON,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        with open(path, "rb") as f:
            head = f.read(65536)
        codec = guess_encoding(head, complete=len(head) < 65536)
        sink.meta("encoding", codec.removesuffix("-sig"))
        size = path.stat().st_size
        if size <= MAX_DOCUMENT:
            text = path.read_bytes().decode(codec, errors="replace").lstrip("\ufeff")
            try:
                doc = json.loads(text)
            except ValueError:
                doc = None
            except RecursionError as exc:
                raise ExtractError(Code.CORRUPT, "JSON nested too deeply to parse") from exc
            if doc is not None or text.strip() == "null":
                sink.meta("json_lines", False)
                _emit(sink, strings(doc), "document")
                return
            docs = [] if _first_lines_parse(text) else _concatenated(text)
            if len(docs) > 1:
                sink.meta("json_lines", False)
                sink.meta("records", len(docs))
                for n, value in enumerate(docs, 1):
                    _emit(sink, strings(value, f"[{n}]"), "document")
                return
        self._lines(path, sink, codec)

    def _lines(self, path: Path, sink: Sink, codec: str) -> None:
        """JSON Lines (or damaged JSON): each line parsed alone; bad lines are counted."""
        good = bad = 0

        def records() -> Iterator[str]:
            nonlocal good, bad
            with open(path, encoding=codec, errors="replace") as f:
                for n, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except (ValueError, RecursionError):
                        bad += 1
                        continue
                    good += 1
                    yield from strings(record, f"[{n}]")

        _emit(sink, records(), "lines")
        if not good:
            raise ExtractError(Code.CORRUPT, "not valid JSON or JSON Lines")
        sink.meta("json_lines", True)
        sink.meta("records", good)
        if bad:
            sink.warn(Code.CORRUPT, f"{bad} lines are not valid JSON")
