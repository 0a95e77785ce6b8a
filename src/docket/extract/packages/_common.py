"""Small helpers shared by the archive extractors: member names, dates, chunked reads."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

from charset_normalizer import from_bytes

CHUNK = 1024 * 1024


def legacy_codec(raw_names: Iterable[bytes]) -> str | None:
    """Guess the one legacy code page an archive's non-UTF-8 names were written in.

    Zip tools on Chinese, Japanese or Russian Windows write names in the local code page
    with no flag saying so. One name is too short to guess from; all of them together
    usually are. The guess is kept only if it decodes every name without error.
    """
    names = [n for n in raw_names if not n.isascii()]
    if not names:
        return None
    best = from_bytes(b"\n".join(names)).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    try:
        for n in names:
            n.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return best.encoding


def decode_name(
    raw: bytes, *, utf8: bool = False, codec: str | None = None
) -> tuple[str, dict[str, Any]]:
    """A member name as text, plus metadata keeping the raw bytes when decoding guessed."""
    if raw.isascii():
        return raw.decode("ascii"), {}
    try:
        return raw.decode("utf-8"), {}
    except UnicodeDecodeError:
        pass
    meta: dict[str, Any] = {"raw_name": raw.hex()}
    if utf8:
        meta["name_encoding"] = "invalid utf-8"
        return raw.decode("utf-8", "replace"), meta
    for candidate in (codec, "cp437"):  # cp437 is what the zip spec says when unflagged
        if candidate:
            try:
                meta["name_encoding"] = candidate
                return raw.decode(candidate), meta
            except (UnicodeDecodeError, LookupError):
                continue
    meta["name_encoding"] = "latin-1"
    return raw.decode("latin-1"), meta


def iso(ts: float | int | None) -> str | None:
    """A POSIX timestamp as ISO 8601 UTC; None when absent or out of range (bad headers)."""
    if ts is None:
        return None
    try:
        return datetime.fromtimestamp(float(ts), UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


class Readable(Protocol):
    """A binary stream to read from: a file, a zip or tar member."""

    def read(self, size: int, /) -> bytes: ...


def read_chunks(stream: Readable, limit: int | None = None) -> Iterator[bytes]:
    """Read ``stream`` in bounded chunks, at most ``limit`` bytes when given."""
    left = limit
    while left is None or left > 0:
        chunk = stream.read(CHUNK if left is None else min(CHUNK, left))
        if not chunk:
            return
        if left is not None:
            left -= len(chunk)
        yield chunk
