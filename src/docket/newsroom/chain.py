"""The hash chain shared by the server log and every case's audit trail (one home)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def chain_hash(prev: str, seq: int, time: str, actor: str, action: str, detail: str) -> str:
    """The hash of one log entry: the one before, then this entry's fields (one home for
    the server log and every case's audit trail)."""
    body = json.dumps([prev, seq, time, actor, action, detail], ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


GENESIS = "0" * 64
