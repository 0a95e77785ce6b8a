"""What the blob store returns for stored bytes: the hashes and size of one blob."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BlobInfo:
    sha256: str
    md5: str
    sha1: str
    size: int
