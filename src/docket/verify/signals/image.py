"""Photographs: camera, time and GPS metadata present, partial or stripped; editors.

Camera originals carry EXIF (make, model, the time taken, often GPS). Messaging apps and
editors strip or rewrite it, so a photo without it has passed through something; a photo
whose EXIF names an editor, or whose EXIF time of change is after the time taken, was
re-saved. The EXIF time against the file's own time is the ``time-after-file-time``
check of ``times``. Only JPEG and TIFF are judged: PNG and GIF rarely carry EXIF at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from docket.verify.signals import ItemView, Signal
from docket.verify.signals._time import parse, stamp

CAMERA_TYPES = frozenset({"jpeg", "tiff"})
EDITORS = re.compile(
    r"photoshop|gimp|lightroom|snapseed|paint\.net|pixelmator|affinity|picsart|facetune|"
    r"canva|fotor|photoscape|acdsee|corel",
    re.I,
)
EDIT_GAP = timedelta(minutes=1)


def summary(meta: dict[str, Any]) -> dict[str, Any]:
    keys = ("camera_make", "camera_model", "software", "taken", "modified", "gps")
    return {k: meta.get(k) for k in keys if meta.get(k) not in (None, "")}


def check(view: ItemView) -> Iterator[Signal]:
    # A failed read has no metadata at all: that is not evidence of stripping.
    if view.item.get("type") not in CAMERA_TYPES or view.item.get("status") == "failed":
        return
    meta = view.meta
    camera = meta.get("camera_make") or meta.get("camera_model")
    taken = meta.get("taken")
    evidence = summary(meta)
    evidence["gps_present"] = bool(meta.get("gps"))
    if not camera and not taken and not meta.get("gps"):
        yield Signal(
            view.id,
            "exif-stripped",
            "low",
            "no camera, time or GPS metadata: photos lose it when sent through messaging "
            "apps or re-saved; camera originals keep it",
            evidence,
        )
        return
    if camera and not taken:
        yield Signal(
            view.id,
            "exif-partial",
            "low",
            f"EXIF names the camera ({camera}) but not the time the photo was taken: "
            "part of the metadata was removed or rewritten",
            evidence,
        )
    software = meta.get("software") or ""
    when_taken, when_changed = parse(taken), parse(meta.get("modified"))
    if EDITORS.search(software):
        yield Signal(
            view.id,
            "image-edited",
            "medium",
            f"EXIF says the image was last saved by {software!r}, an image editor",
            evidence,
        )
    elif when_taken and when_changed and when_changed > when_taken + EDIT_GAP:
        yield Signal(
            view.id,
            "image-edited",
            "low",
            f"EXIF says the image was changed {stamp(when_changed)}, after it was taken "
            f"{stamp(when_taken)}",
            evidence,
        )
