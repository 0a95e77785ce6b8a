"""The desk's own fonts, served from where the system keeps them: never from a CDN, and
never copied into the package (a font has its own licence and its own Debian package).

Arabic reads best in a Naskh face; DejaVu Sans, the usual fallback, shapes Arabic
correctly but draws it crudely. ``fonts-noto-core`` (scripts/system-deps.sh) holds Noto
Naskh Arabic; it is looked for at run time in the directories below (and in those named by
``DOCKET_FONT_DIRS``, separated by ``:``). A font that is not there answers 404 and the
style sheet falls back to the fonts the browser has."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

ENV_DIRS = "DOCKET_FONT_DIRS"
FONT_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto",  # Fedora, Arch
    "/usr/local/share/fonts",
    "/usr/share/fonts/truetype",
)
# The name the style sheet asks for -> the file names that may hold it, best first.
FONTS: dict[str, tuple[str, ...]] = {
    "naskh-regular.ttf": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabicUI-Regular.ttf"),
    "naskh-bold.ttf": ("NotoNaskhArabic-Bold.ttf", "NotoNaskhArabicUI-Bold.ttf"),
}

router = APIRouter()


def search_dirs() -> list[Path]:
    extra = [d for d in os.environ.get(ENV_DIRS, "").split(":") if d]
    return [Path(d) for d in (*extra, *FONT_DIRS)]


@lru_cache(maxsize=16)
def _find(name: str, dirs: tuple[Path, ...]) -> Path | None:
    for file_name in FONTS.get(name, ()):
        for d in dirs:
            path = d / file_name
            if path.is_file():
                return path
    return None


def find(name: str) -> Path | None:
    """The file serving font ``name`` on this machine, or None."""
    return _find(name, tuple(search_dirs()))


@router.get("/fonts/{name}")
def font(name: str) -> FileResponse:
    path = find(name) if name in FONTS else None
    if path is None:
        raise HTTPException(404, f"font {name} is not installed (Debian: fonts-noto-core)")
    return FileResponse(
        path, media_type="font/ttf", headers={"Cache-Control": "public, max-age=86400"}
    )
