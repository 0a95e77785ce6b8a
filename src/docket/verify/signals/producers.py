"""Software that did not exist yet: the producer named in the metadata against the date
the document claims to have been created (table: ``docket/verify/data/producers.csv``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib.resources import files

from docket.verify.signals import ItemView, Signal
from docket.verify.signals._time import day, parse

PREVIEW = timedelta(days=120)  # public previews and betas ship months before release
# Metadata keys that name software (PDF Producer/Creator, Office, EXIF, mailers).
KEYS = ("producer", "application", "software", "x_mailer")


@dataclass(frozen=True, slots=True)
class Release:
    pattern: re.Pattern[str]
    product: str
    released: date
    source: str


@cache
def releases() -> tuple[Release, ...]:
    text = files("docket.verify").joinpath("data/producers.csv").read_text("utf-8")
    lines = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(
        Release(
            re.compile(row["pattern"], re.I),
            row["product"],
            date.fromisoformat(row["released"]),
            row["source"],
        )
        for row in csv.DictReader(io.StringIO(lines))
    )


def software(view: ItemView) -> list[str]:
    """The strings that name the software which wrote the item."""
    meta = view.meta
    out = [str(meta[k]) for k in KEYS if isinstance(meta.get(k), str) and meta[k].strip()]
    version = meta.get("application_version")
    if isinstance(meta.get("application"), str) and version:
        out.append(f"{meta['application']} {version}")  # Office: AppVersion 16.0000
    return out


def release_of(name: str) -> Release | None:
    """The latest release whose pattern matches: the most specific row wins."""
    hits = [r for r in releases() if r.pattern.search(name)]
    return max(hits, key=lambda r: r.released) if hits else None


def check(view: ItemView) -> Iterator[Signal]:
    claimed = parse(view.meta.get("created"))
    if claimed is None:
        return
    for name in software(view):
        rel = release_of(name)
        if rel is None:
            continue
        available = datetime.combine(rel.released, datetime.min.time(), UTC) - PREVIEW
        if claimed < available:
            yield Signal(
                view.id,
                "producer-anachronism",
                "high",
                f"created {day(claimed)} (metadata) with {name!r}, but {rel.product} was "
                f"released {rel.released.isoformat()}",
                {
                    "created": view.meta.get("created"),
                    "software": name,
                    "product": rel.product,
                    "released": rel.released.isoformat(),
                    "source": rel.source,
                },
            )
            return  # one anachronism per item is enough to send someone looking
