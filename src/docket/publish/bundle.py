"""``docket publish``: redacted PDFs, checked, then a manifest, a custody entry and a
signature; ``docket verify-bundle``: the bundle against its manifest and signature.

The bundle is written to a staging folder beside the target and renamed into place only
when every output passed the check (``check.py``), so a refused publication leaves nothing
that looks like a bundle. The manifest names, per output: the source item and its SHA-256,
the output's SHA-256, the marks burned in by kind, who reviewed them and when. File names
are the item ids: an original's name may itself hold a name that was redacted."""

from __future__ import annotations

import base64
import getpass
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from docket import __version__
from docket.case import Case
from docket.model import metadata as metadata_keys
from docket.model.errors import BadArguments, CheckFailed
from docket.publish.check import Leak, check_output, metadata_values
from docket.publish.pdfwrite import write_pdf
from docket.publish.render import DPI, render_item
from docket.publish.suggest import now, spellings_of

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
# What a document or photograph says about itself (who wrote it, with what, when, where):
# the metadata keys that must not reach an output. Docket's own readings (sizes, page
# counts, languages, scripts, OCR summaries) are derived from the content, not secrets.
SECRET_KEYS = frozenset(metadata_keys.KEYS) | {
    "producer", "camera_make", "camera_model", "software", "artist", "gps_latitude",
    "gps_longitude", "xmp", "comments",
}  # fmt: skip


class PublishRefused(CheckFailed):
    """An output still holds something that was meant to be removed; nothing was written."""

    def __init__(self, leaks: list[Leak]) -> None:
        self.leaks = leaks
        lines = "; ".join(str(leak) for leak in leaks[:20])
        more = f"; and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        super().__init__(
            f"publication refused, nothing was written: {len(leaks)} leak(s): {lines}{more}"
        )


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def removed_metadata(item: dict[str, Any]) -> list[str]:
    """The values of the original's metadata that must not reach the output."""
    meta = {k: v for k, v in (item.get("metadata") or {}).items() if k in SECRET_KEYS}
    values = metadata_values(meta)
    for key in ("gps_latitude", "gps_longitude"):
        if isinstance(meta.get(key), float):
            values.append(f"{meta[key]:.4f}")
    return values


def publish(
    case: Case,
    item_ids: list[str],
    target: Path,
    *,
    include_proposed: bool = False,
    key_path: Path | None = None,
    sign: bool | None = None,
) -> dict[str, Any]:
    """Publish ``item_ids`` to ``target``; returns the manifest. ``PublishRefused`` when an
    output fails the check. ``sign``: None signs when a seal key exists."""
    if target.exists() and any(target.iterdir()):
        raise BadArguments(f"{target} exists and is not empty")
    if target.resolve().is_relative_to(case.root.resolve()):
        raise BadArguments(f"{target} is inside the case folder; publish outside it")
    cat = case.catalogue
    items = []
    for item_id in item_ids:
        item = cat.item(item_id)
        if item is None:
            raise BadArguments(f"no item {item_id}")
        open_marks = cat.marks(item_id, states=("proposed",))
        if open_marks and not include_proposed:
            raise BadArguments(
                f"{item_id} has {len(open_marks)} proposed mark(s) nobody reviewed: accept or "
                "reject them (docket redact accept|reject), or pass --include-proposed"
            )
        if not item.get("sha256") or not case.blobs.path(item["sha256"]).exists():
            raise BadArguments(f"{item_id} has no stored content to publish")
        items.append(item)
    states = ("accepted", "proposed") if include_proposed else ("accepted",)
    staging = target.parent / f".{target.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        entries, leaks = [], []
        for item in items:
            entry, found = _publish_one(case, item, staging, states)
            entries.append(entry)
            leaks += found
        if leaks:
            raise PublishRefused(leaks)
        manifest = {
            "docket": __version__,
            "case": case.case_id,
            "published": now(),
            "publisher": getpass.getuser(),
            "dpi": DPI,
            "outputs": entries,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        _sign(case, staging, manifest, key_path, sign)
        case.log("publish", actor=manifest["publisher"],
                 outputs=[{k: e[k] for k in ("item", "sha256", "output_sha256", "marks")}
                          for e in entries])  # fmt: skip
        if target.exists():
            target.rmdir()
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _publish_one(
    case: Case, item: dict[str, Any], staging: Path, states: tuple[str, ...]
) -> tuple[dict[str, Any], list[Leak]]:
    cat = case.catalogue
    marks = cat.marks(item["id"], states=states)
    spellings = {
        m["id"]: spellings_of(case, m.get("entity_id"), m["text"])
        for m in marks
        if m.get("segment") is not None and m.get("text")
    }
    segments = [dict(s) for s in cat.segments(item["id"])]
    rendered = render_item(
        item, case.blobs.path(item["sha256"]), segments, marks, spellings, case.settings.ocr_lang
    )
    out = staging / f"{item['id']}.pdf"
    pages = write_pdf(((p, DPI) for p in rendered.pages), out)
    secrets = [s for names in spellings.values() for s in names]
    leaks = check_output(
        item["id"], out, secrets, removed_metadata(item), case.settings, rendered.visible
    )
    reviewers = sorted({m["reviewer"] for m in marks if m.get("reviewer")})
    entry = {
        "item": item["id"],
        "sha256": item["sha256"],
        "output": out.name,
        "output_sha256": _sha256(out),
        "pages": pages,
        "marks": dict(Counter(m["kind"] for m in marks)),
        "mark_ids": [m["id"] for m in marks],
        "reviewers": reviewers,
        "reviewed": max((m["decided"] for m in marks if m.get("decided")), default=None),
        "not_located": rendered.missed,
    }
    return entry, leaks


def _sign(case: Case, staging: Path, manifest: dict[str, Any], key_path: Path | None,
          sign: bool | None) -> None:  # fmt: skip
    from docket.verify.seal import default_key_path, fingerprint, load_key, raw_public

    path = key_path or default_key_path()
    if sign is False or (sign is None and not path.exists()):
        return
    key, _, _ = load_key(path, case.root)
    body = (staging / MANIFEST).read_bytes()
    public = raw_public(key.public_key())
    (staging / SIGNATURE).write_text(
        json.dumps(
            {
                "algorithm": "ed25519",
                "public_key": base64.b64encode(public).decode(),
                "fingerprint": fingerprint(public),
                "signature": base64.b64encode(key.sign(body)).decode(),
            },
            indent=2,
        )
    )


def verify_bundle(folder: Path) -> dict[str, Any]:
    """Check a bundle: every output listed with the hash it has, nothing unlisted, and
    the signature (when there is one) over the manifest. Returns ``problems`` (empty when
    the bundle is intact) and the signer's fingerprint."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    problems: list[str] = []
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BadArguments(f"{folder} has no {MANIFEST}: not a Docket bundle")
    body = manifest_path.read_bytes()
    try:
        manifest = json.loads(body)
        outputs = manifest["outputs"]
    except (ValueError, KeyError, TypeError) as exc:
        return {"problems": [f"{MANIFEST} is unreadable: {exc}"], "signed_by": None}
    listed = set()
    for entry in outputs:
        path = folder / entry["output"]
        listed.add(entry["output"])
        if not path.is_file():
            problems.append(f"{entry['output']}: missing")
        elif _sha256(path) != entry["output_sha256"]:
            problems.append(f"{entry['output']}: SHA-256 differs from the manifest")
    for path in sorted(folder.iterdir()):
        if path.name not in listed | {MANIFEST, SIGNATURE}:
            problems.append(f"{path.name}: not in the manifest")
    signed_by = None
    sig_path = folder / SIGNATURE
    if sig_path.is_file():
        try:
            sig = json.loads(sig_path.read_text())
            public = base64.b64decode(sig["public_key"])
            Ed25519PublicKey.from_public_bytes(public).verify(
                base64.b64decode(sig["signature"]), body
            )
            signed_by = sig.get("fingerprint")
        except (InvalidSignature, ValueError, KeyError, TypeError):
            problems.append(f"{SIGNATURE}: the signature does not match the manifest")
    return {"problems": problems, "signed_by": signed_by, "outputs": len(outputs),
            "signed": sig_path.is_file()}  # fmt: skip
