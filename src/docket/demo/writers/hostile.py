"""A few damaged and hostile files for the sample case, to show how each is recorded."""

from __future__ import annotations

import io
import zipfile


def zip_slip() -> bytes:
    """Members whose names climb out of the archive (they must be stored by hash only)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../evil.txt", b"a file that wanted to land outside the case")
        z.writestr("/etc/cron.d/evil", b"absolute path")
        z.writestr("readme.txt", b"an ordinary member")
    return buf.getvalue()


def zip_bomb(mb: int = 100) -> bytes:
    """``mb`` MiB of zeros deflated to about 1/1000 of that."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open("zeros.bin", "w") as f:
        chunk = bytes(1024 * 1024)
        for _ in range(mb):
            f.write(chunk)
    return buf.getvalue()


def truncated(data: bytes, keep: float = 0.5) -> bytes:
    """The first part of a file, as a failed copy or a damaged disk leaves it."""
    return data[: max(1, int(len(data) * keep))]
