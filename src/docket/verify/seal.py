"""Seals: an anchor for the custody chain that the investigator keeps outside the case.

The custody log proves its own lines are unbroken, but whoever can write the case folder
can rewrite the whole chain consistently (new blob, new catalogue hash, every later line
re-chained, the catalogue's head updated) and plain ``docket verify`` passes. A seal is a
small signed file kept elsewhere — mailed to an editor, printed in a notebook — naming the
chain's head at one moment; ``docket verify --seal`` proves the case still extends it.

A seal holds the case id, the head (line number and SHA-256 of the last custody line), the
time, the item count, the Docket version, and *checkpoints*: the first 16 hex digits of the
hash of every ``every``-th line, at most ``MAX_CHECKPOINTS`` of them (every line while the
log has at most that many lines). The full head hash is the proof: each line holds the hash
of the one before, so an equal head means an equal chain. Checkpoints only locate where a
changed chain departs from the sealed one. Walking back from every line that still matches
(the head, a checkpoint), each line's ``prev`` gives the sealed hash of the line before, so
the first changed line is named exactly unless the rewrite re-chained everything after it,
in which case it is named within the span between two checkpoints.

The seal is signed with an Ed25519 key that never lives in the case (by default
``$XDG_CONFIG_HOME/docket/seal-key.pem``, made on first use, mode 0600); the public key
travels in the seal and its fingerprint is printed so it can be compared with the one the
investigator noted. The signature covers the canonical JSON (sorted keys, no spaces, UTF-8)
of every field except ``signature``, ``timestamp`` and ``timestamp_note``; a timestamp
token, when there is one, is over the signature, as RFC 3161 tokens are over a signature
in CMS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from docket import __version__
from docket.acquire.custody import check_chain, now_iso
from docket.case import Case
from docket.verify.timestamp import request_timestamp

SEAL_FORMAT = "docket-seal/1"
MAX_CHECKPOINTS = 256
CHECKPOINT_HEX = 16  # 64 bits: enough to locate a change; the full head hash is the proof
NO_TSA = "no timestamp authority configured"
UNSIGNED = ("signature", "timestamp", "timestamp_note")
_HEX = re.compile(r"[0-9a-f]{64}")
_CHECKPOINT = re.compile(rf"[0-9a-f]{{{CHECKPOINT_HEX}}}")


class SealError(Exception):
    """The seal cannot be made or read (a broken chain, a bad key, not a seal file)."""


@dataclass(frozen=True, slots=True)
class SealProblem:
    code: str  # seal-signature | seal-case | seal-diverged | seal-truncated
    detail: str
    line: int | None = None  # first custody line that is not as sealed
    line_to: int | None = None  # when only a span is known: its last line


@dataclass(slots=True)
class SealCheck:
    seal: dict[str, Any]
    fingerprint: str
    sealed_seq: int
    current_seq: int
    problems: list[SealProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- keys ------------------------------------------------------------------------------
def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "docket" / "seal-key.pem"


def load_key(path: Path | None, case_root: Path) -> tuple[Ed25519PrivateKey, Path, bool]:
    """The signing key at ``path`` (default: the user's config folder), made on first use.
    Returns the key, its path and whether it was just created. A key inside the case is
    refused: whoever can rewrite the case could then re-sign it."""
    path = (path or default_key_path()).expanduser()
    if path.resolve().is_relative_to(case_root.resolve()):
        raise SealError(f"{path} is inside the case folder; keep the seal key elsewhere")
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise SealError(f"{path}: not an unencrypted PEM private key ({exc})") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise SealError(f"{path}: not an Ed25519 key")
        return key, path, False
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key, path, True


def raw_public(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(public_raw: bytes) -> str:
    """First 128 bits of SHA-256 of the raw public key, in groups of four hex digits."""
    digest = hashlib.sha256(public_raw).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def canonical(seal: dict[str, Any]) -> bytes:
    signed = {k: v for k, v in seal.items() if k not in UNSIGNED}
    return json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# -- making a seal ---------------------------------------------------------------------
def _lines(path: Path) -> list[tuple[str, str | None]]:
    """(sha256 of the line, its ``prev`` field) for every custody line, in order."""
    out: list[tuple[str, str | None]] = []
    if not path.exists():
        return out
    with open(path, "rb") as fh:
        for raw in fh:
            line = raw.rstrip(b"\n")
            try:
                prev = json.loads(line).get("prev")
            except (ValueError, AttributeError):
                prev = None
            out.append((hashlib.sha256(line).hexdigest(), prev))
    return out


def checkpoint_every(lines: int) -> int:
    return max(1, math.ceil(lines / MAX_CHECKPOINTS))


def make_seal(case: Case, key: Ed25519PrivateKey, *, time: str | None = None) -> dict[str, Any]:
    """A signed seal of the case's custody chain as it is now. A broken chain is not
    sealed: it would anchor a state that ``docket verify`` already rejects."""
    log = case.root / "custody.log"
    seq = case.catalogue.get_meta("custody_seq")
    breaks = check_chain(log, int(seq) if seq else 0, case.catalogue.get_meta("custody_head"))
    if breaks:
        first = breaks[0]
        raise SealError(
            f"custody.log line {first.line}: {first.reason}; run `docket verify` — "
            "a broken chain is not sealed"
        )
    if case.case_id is None:
        raise SealError("the case has no id yet; open it for writing first")
    lines = _lines(log)
    if not lines:
        raise SealError("the custody log is empty: nothing to seal yet")
    every = checkpoint_every(len(lines))
    public = raw_public(key.public_key())
    (items,) = case.catalogue.db.execute("SELECT count(*) FROM items").fetchone()
    seal: dict[str, Any] = {
        "format": SEAL_FORMAT,
        "case_id": case.case_id,
        "head": {"seq": len(lines), "hash": lines[-1][0]},
        "time": time or now_iso(),
        "items": items,
        "docket": __version__,
        "checkpoints": {
            "every": every,
            "hashes": [h[:CHECKPOINT_HEX] for h, _ in lines[every - 1 :: every]],
        },
        "public_key": base64.b64encode(public).decode(),
        "key_fingerprint": fingerprint(public),
    }
    signature = key.sign(canonical(seal))
    seal["signature"] = base64.b64encode(signature).decode()
    seal["timestamp"], seal["timestamp_note"] = None, NO_TSA
    url = str(case.settings.get("timestamp_authority") or "")
    if url:
        try:
            seal["timestamp"] = request_timestamp(url, signature)
            seal["timestamp_note"] = f"RFC 3161 token from {url} over SHA-256 of the signature"
        except (OSError, ValueError) as exc:  # offline, refused, or not a TSA's answer
            seal["timestamp_note"] = f"timestamp authority {url} gave no token: {exc}"
    return seal


def dump_seal(seal: dict[str, Any]) -> str:
    return json.dumps(seal, indent=2, ensure_ascii=False) + "\n"


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def read_seal(path: Path) -> dict[str, Any]:
    try:
        seal = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SealError(f"{path}: not readable as a seal ({exc})") from exc
    if not isinstance(seal, dict) or seal.get("format") != SEAL_FORMAT:
        raise SealError(f"{path}: not a {SEAL_FORMAT} file")
    try:
        head, checkpoints = seal["head"], seal["checkpoints"]
        well_formed = (
            isinstance(seal["case_id"], str)
            and isinstance(head["seq"], int)
            and head["seq"] >= 1
            and _matches(_HEX, head["hash"])
            and isinstance(checkpoints["every"], int)
            and checkpoints["every"] >= 1
            and isinstance(checkpoints["hashes"], list)
            and all(_matches(_CHECKPOINT, h) for h in checkpoints["hashes"])
        )
    except (KeyError, TypeError) as exc:
        raise SealError(f"{path}: a field of the seal is missing ({exc})") from exc
    if not well_formed:
        raise SealError(f"{path}: a field of the seal is malformed")
    return seal


# -- checking a case against a seal ----------------------------------------------------
def _signature_problem(seal: dict[str, Any]) -> tuple[str, SealProblem | None]:
    try:
        public = base64.b64decode(seal["public_key"], validate=True)
        signature = base64.b64decode(seal["signature"], validate=True)
        key = Ed25519PublicKey.from_public_bytes(public)
    except (KeyError, TypeError, ValueError) as exc:
        return "?", SealProblem(
            "seal-signature", f"the seal's key or signature is unreadable: {exc}"
        )
    print_ = fingerprint(public)
    try:
        key.verify(signature, canonical(seal))
    except InvalidSignature:
        return print_, SealProblem(
            "seal-signature",
            "the signature does not match the seal's contents: the seal was altered",
        )
    if seal.get("key_fingerprint") not in (None, print_):
        return print_, SealProblem(
            "seal-signature",
            f"the seal names key {seal['key_fingerprint']}, but its key is {print_}",
        )
    return print_, None


def check_seal(case: Case, seal: dict[str, Any]) -> SealCheck:
    """Does the case's custody chain still begin with the sealed one? Names the first line
    that departs from it (or the span it lies in), or the lines removed since."""
    print_, bad_signature = _signature_problem(seal)
    sealed_seq = int(seal["head"]["seq"])
    lines = _lines(case.root / "custody.log")
    check = SealCheck(seal, print_, sealed_seq, len(lines))
    if bad_signature:
        check.problems.append(bad_signature)
    if seal["case_id"] != case.case_id:
        check.problems.append(
            SealProblem(
                "seal-case", f"the seal is of case {seal['case_id']}, this is {case.case_id}"
            )
        )
        return check
    every = int(seal["checkpoints"]["every"])
    checkpoints = {every * (k + 1): h for k, h in enumerate(seal["checkpoints"]["hashes"])}
    n = min(len(lines), sealed_seq)
    # Walk back from the sealed end; ``expected`` is the sealed hash of line i when known
    # (from the head, or the ``prev`` of a line that matched), else a checkpoint prefix.
    status: list[str] = [""] * (n + 1)  # same | changed | unknown, 1-based
    expected: str | None = seal["head"]["hash"] if len(lines) >= sealed_seq else None
    for i in range(n, 0, -1):
        want = expected or checkpoints.get(i)
        actual, prev = lines[i - 1]
        if want is None:
            status[i], expected = "unknown", None
        elif actual.startswith(want):
            status[i], expected = "same", prev
        else:
            status[i], expected = "changed", None
    first = next((i for i in range(1, n + 1) if status[i] != "same"), None)
    last = first
    while last is not None and last < n and status[last] == "unknown":
        last += 1
    if first is not None and last is not None and status[last] == "changed":
        if first == last:
            detail = (
                f"custody.log line {first} is not the line that was sealed "
                f"(lines 1–{first - 1} are as sealed)"
            )
            check.problems.append(SealProblem("seal-diverged", detail, first))
        else:
            detail = (
                f"the custody chain departs from the sealed one between lines {first} and "
                f"{last}: everything after was re-chained, and the seal's checkpoints "
                f"(every {every} lines) match up to line {first - 1}"
            )
            check.problems.append(SealProblem("seal-diverged", detail, first, last))
    if len(lines) < sealed_seq:
        tail = n
        while tail >= 1 and status[tail] == "unknown":
            tail -= 1
        unchecked = (
            f"; lines {tail + 1}–{n} cannot be compared (no checkpoint after them is left)"
            if tail < n
            else ""
        )
        check.problems.append(
            SealProblem(
                "seal-truncated",
                f"custody.log has {len(lines)} lines; the seal covers {sealed_seq}: "
                f"lines {len(lines) + 1}–{sealed_seq} were removed{unchecked}",
                len(lines) + 1,
            )
        )
    return check


def add_to_report(case: Case, report: Any, path: Path) -> dict[str, Any]:
    """``docket verify --seal``: check the case against the seal at ``path``, add each
    problem to the verify report (``report.problems``, as ``integrity.Problem``), and
    return what the seal says, for the output."""
    from docket.verify.integrity import Problem

    seal = read_seal(path)
    check = check_seal(case, seal)
    for p in check.problems:
        report.problems.append(Problem(p.code, p.detail))
    return {
        "file": str(path),
        "ok": check.ok,
        "case_id": seal["case_id"],
        "head": seal["head"],
        "time": seal.get("time"),
        "items": seal.get("items"),
        "key_fingerprint": check.fingerprint,
        "timestamp": seal.get("timestamp"),
        "current_seq": check.current_seq,
        "problems": [
            {"code": p.code, "line": p.line, "line_to": p.line_to, "detail": p.detail}
            for p in check.problems
        ],
    }
