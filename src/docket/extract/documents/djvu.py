"""DjVu documents through djvulibre's command-line tools (Debian ``djvulibre-bin``):
the hidden text layer page by page (``djvutxt``); pages with no text layer, or only a
scrap of one, are rendered (``ddjvu``) and OCR'd like a scanned PDF page.

Each tool runs with a time limit, reads the file in place and writes only to a pipe.
A file the tools cannot open is ``failed`` / ``corrupt`` with their message; without the
tools installed the item is ``unsupported`` with the package to install.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from docket.extract import ocr
from docket.extract.base import Extractor
from docket.extract.documents.pdf import SCRAP_CHARS
from docket.extract.sink import Sink
from docket.extract.types import FileType
from docket.model.detection import Detection
from docket.model.errors import Code, ExtractError

TOOL_TIMEOUT = 120.0  # seconds for one tool run: the whole text of a long book, one page
OCR_DPI = 300
_SIZE = re.compile(rb"width=(\d+)\s+height=(\d+)")

DJVU = FileType(
    "djvu",
    "image/vnd.djvu",
    "document",
    ("djvu", "djv"),
    sniff=lambda probe: probe.head[:8] == b"AT&TFORM" and probe.head[12:16] in (b"DJVU", b"DJVM"),
    order=10,
)


class ToolError(Exception):
    pass


def _run(args: list[str], timeout: float = TOOL_TIMEOUT) -> bytes:
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{args[0]} ran over {timeout:g} s") from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        # djvulibre prints its own source locations as "*** (File.cpp:12)"; the plain
        # lines say what went wrong
        plain = [x.strip("* ") for x in lines if x.strip() and "cpp:" not in x and "::" not in x]
        said = "; ".join(plain[-2:]) or f"exit {done.returncode}"
        raise ToolError(f"{args[0]}: {said}")
    return done.stdout


class DjvuExtractor(Extractor):
    name = "djvu"
    file_types = (DJVU,)

    def extract(self, path: Path, sink: Sink, detection: Detection) -> None:
        if shutil.which("djvused") is None or shutil.which("djvutxt") is None:
            raise ExtractError(
                Code.UNSUPPORTED,
                "DjVu needs djvulibre's tools: apt-get install djvulibre-bin",
                status="unsupported",
            )
        try:
            pages = int(_run(["djvused", "-e", "n", str(path)]).strip() or 0)
        except (ToolError, ValueError) as exc:
            raise ExtractError(Code.CORRUPT, f"unreadable DjVu: {exc}") from exc
        if pages <= 0:
            raise ExtractError(Code.CORRUPT, "unreadable DjVu: no pages")
        sink.meta("pages", pages)
        sink.keepalive(TOOL_TIMEOUT)
        texts = _texts(path, pages, sink)
        scans = []
        for number, text in enumerate(texts, 1):
            if sum(ch.isalnum() for ch in text) < SCRAP_CHARS:
                scans.append(number)
            if text.strip():
                sink.text(text.strip(), page=number)
        sink.meta("pages_without_text", self._ocr(path, scans, sink))
        failed = [m for code, m in sink.warnings if code == Code.PAGE_ERROR]
        if not sink.segments and failed:  # the directory read, but no page did
            raise ExtractError(Code.CORRUPT, f"no page of the DjVu could be read: {failed[0]}")

    def _ocr(self, path: Path, pages: list[int], sink: Sink) -> list[int]:
        """OCR the listed pages; returns those that still have no text."""
        if not pages:
            return pages
        opts = ocr.options(sink.settings, ocr.case_root(sink))
        if isinstance(opts, ocr.NoOcr):
            sink.meta("ocr_skipped", opts.message)
            if opts.code == Code.OCR_LANGUAGE_MISSING:
                sink.warn(opts.code, f"{len(pages)} page(s) not OCR'd: {opts.message}")
            return pages
        before = {s.page for s in sink.segments}
        ocr.ocr_into(sink, _rendered(path, pages, sink), opts)
        after = {s.page for s in sink.segments if s.part == "ocr"}
        return [p for p in pages if p not in before and p not in after]


def _texts(path: Path, pages: int, sink: Sink) -> list[str]:
    """Each page's hidden text; djvutxt ends each page with a form feed."""
    try:
        whole = _run(["djvutxt", str(path)]).decode("utf-8", "replace")
    except ToolError as exc:
        sink.warn(Code.PAGE_ERROR, f"text layer unreadable: {exc}")
        return [""] * pages
    parts = whole.split("\f")
    while len(parts) > pages and not parts[-1].strip():
        parts.pop()
    if len(parts) <= pages:
        return parts + [""] * (pages - len(parts))
    out = []  # a form feed inside the text itself: ask page by page
    for number in range(1, pages + 1):
        try:
            out.append(_run(["djvutxt", f"--page={number}", str(path)]).decode("utf-8", "replace"))
        except ToolError as exc:
            sink.warn(Code.PAGE_ERROR, f"page {number}: text layer unreadable: {exc}")
            out.append("")
    return out


def _rendered(path: Path, pages: list[int], sink: Sink) -> Iterator[tuple[int, Image.Image]]:
    """Each page as a grayscale image, at its own resolution or less (at most
    ``max_image_pixels``), rendered only when OCR reaches it."""
    cap = sink.limits.max_image_pixels
    for number in pages:
        try:
            info = _run(["djvused", "-e", f"select {number}; size", str(path)])
            found = _SIZE.search(info)
            args = ["ddjvu", "-format=pgm", f"-page={number}"]
            if found:
                width, height = int(found.group(1)), int(found.group(2))
                if width * height > cap:
                    shrink = (cap / (width * height)) ** 0.5
                    args.append(f"-size={int(width * shrink)}x{int(height * shrink)}")
            data = _run([*args, str(path), "-"])
            image = Image.open(io.BytesIO(data))
            image.load()
        except (ToolError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            sink.warn(Code.PAGE_ERROR, f"page {number}: cannot render for OCR: {exc}")
            continue
        yield number, image
