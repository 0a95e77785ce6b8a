"""Redaction proposals from what the case knows.

- **People**: every spelling of every resolved person (Arabic and English, each variant
  the resolution joined) is looked for in every item's text, not only where a mention was
  found, so a name redacted in one document is proposed wherever it is written; people
  whose names were marked public (``docket redact public``) are left out.
- **Patterns**: phone numbers, e-mail addresses, IBANs, street addresses and vehicle
  plates the enrichers found.
- **Faces**: in images and in PDF pages read by OCR (scans), by ``faces.py``.

Suggesting again adds only what is new; a mark the analyst accepted or rejected stays so."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from docket.case import Case
from docket.extract import types
from docket.store.marks import MARK_STATES
from docket.text.normalize import find_phrases, normalize

__all__ = ["MARK_STATES", "suggest"]
PATTERN_KINDS = ("phone", "email", "iban", "address", "plate")
REASONS = {
    "person": "private person",
    "phone": "phone number",
    "email": "e-mail address",
    "iban": "bank account",
    "address": "street address",
    "plate": "vehicle plate",
    "face": "face",
}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def private_people(case: Case) -> dict[str, str]:
    """Each spelling of each person not marked public, mapped to the person's entity id."""
    public = case.catalogue.public_names()
    out: dict[str, str] = {}
    for e in case.catalogue.entities("person"):
        names = [e["name"], *e["variants"]]
        if any(normalize(n) in public for n in names):
            continue
        for n in names:
            out.setdefault(n, e["id"])
    return out


def spellings_of(case: Case, entity_id: str | None, text: str) -> list[str]:
    """``text`` first, then every other spelling of ``entity_id``."""
    e = case.catalogue.entity(entity_id) if entity_id else None
    names = [text, *(([e["name"], *e["variants"]]) if e else [])]
    return list(dict.fromkeys(n for n in names if n))


def _person_marks(case: Case, people: dict[str, str]) -> Iterator[dict[str, Any]]:
    if not people:
        return
    phrases = list(people)
    for row in case.catalogue.db.execute("SELECT item_id, seq, text FROM segments"):
        for start, end, phrase in find_phrases(row["text"], phrases):
            yield {
                "item_id": row["item_id"], "kind": "person", "segment": row["seq"],
                "start": start, "end": end, "text": row["text"][start:end],
                "entity_id": people[phrase], "reason": REASONS["person"],
            }  # fmt: skip


def _pattern_marks(case: Case) -> Iterator[dict[str, Any]]:
    marks = ", ".join("?" * len(PATTERN_KINDS))
    for m in case.catalogue.db.execute(
        f'SELECT item_id, segment, start, "end", kind, text FROM mentions WHERE kind IN ({marks})',
        PATTERN_KINDS,
    ):
        yield {**dict(m), "reason": REASONS[m["kind"]]}


def _face_marks(case: Case) -> Iterator[dict[str, Any]]:
    from docket.publish.faces import faces
    from docket.publish.render import page_images

    for item in case.catalogue.items("sha256 IS NOT NULL AND status IN ('ok', 'partial')"):
        family = types.get(item.get("type") or "").family
        path = case.blobs.path(item["sha256"])
        if not path.exists():
            continue
        for page, image in _scanned_pages(case, item, family, path, page_images):
            for box in faces(image):
                yield {"item_id": item["id"], "kind": "face", "page": page, "box": list(box),
                       "reason": REASONS["face"]}  # fmt: skip


def _scanned_pages(case: Case, item: dict[str, Any], family: str, path: Any,
                   page_images: Any) -> Iterator[tuple[int, Any]]:  # fmt: skip
    from PIL import Image, UnidentifiedImageError

    if family == "image":
        try:
            with Image.open(path) as im:
                for n in range(getattr(im, "n_frames", 1)):
                    im.seek(n)
                    yield n + 1, im.convert("RGB")
        except (UnidentifiedImageError, OSError, ValueError):
            return
    elif item.get("type") == "pdf":
        scanned = {
            r[0]
            for r in case.catalogue.db.execute(
                "SELECT page FROM segments WHERE item_id = ? AND part = 'ocr'", (item["id"],)
            )
        }
        if not scanned:
            return
        import pypdfium2 as pdfium

        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            return
        try:
            for number, image in enumerate(page_images(doc), 1):
                if number in scanned:
                    yield number, image
        finally:
            doc.close()


def suggest(case: Case, *, faces: bool = True) -> dict[str, int]:
    """Propose marks; returns how many new ones of each kind. Logged in custody."""
    found = list(_person_marks(case, private_people(case)))
    found += _pattern_marks(case)
    if faces:
        found += _face_marks(case)
    time = now()
    for m in found:
        m.update(origin="suggested", state="proposed", time=time)
    cat = case.catalogue
    cat.begin()
    try:
        new = cat.add_marks(found)
        counts: dict[str, int] = {}
        for m in cat.marks(ids=new):
            counts[m["kind"]] = counts.get(m["kind"], 0) + 1
        case.log("redact-suggest", actor=getpass.getuser(), marks=new, kinds=counts)
        cat.commit()
    except BaseException:
        cat.rollback()
        raise
    case.committed()
    return counts
