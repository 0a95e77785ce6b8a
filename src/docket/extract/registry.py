"""The built-in extractors, listed in one visible place, plus third-party plugins from the
``docket.extractors`` entry-point group. The best ``score`` for a detection wins."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.metadata import entry_points

from docket.extract.base import Extractor
from docket.extract.detect import Detection

# module path : class name. Imported lazily so a worker only loads what it uses.
BUILTINS: tuple[tuple[str, str], ...] = (
    ("docket.extract.documents.text", "TextExtractor"),
    ("docket.extract.documents.html", "HtmlExtractor"),
    ("docket.extract.documents.xml", "XmlExtractor"),
    ("docket.extract.documents.json", "JsonExtractor"),
    ("docket.extract.documents.pdf", "PdfExtractor"),
    ("docket.extract.documents.ooxml", "DocxExtractor"),
    ("docket.extract.documents.ooxml", "PptxExtractor"),
    ("docket.extract.documents.odf", "OdfExtractor"),
    ("docket.extract.documents.rtf", "RtfExtractor"),
    ("docket.extract.documents.doc", "DocExtractor"),
    ("docket.extract.documents.ppt", "PptExtractor"),
    ("docket.extract.documents.epub", "EpubExtractor"),
    ("docket.extract.documents.ics", "IcsExtractor"),
    ("docket.extract.tabular.spreadsheet", "SpreadsheetExtractor"),
    ("docket.extract.tabular.csv", "CsvExtractor"),
    ("docket.extract.email.eml", "EmlExtractor"),
    ("docket.extract.email.mbox", "MboxExtractor"),
    ("docket.extract.email.msg", "MsgExtractor"),
    ("docket.extract.email.pst", "PstExtractor"),
    ("docket.extract.packages.zip", "ZipExtractor"),
    ("docket.extract.packages.tar", "TarExtractor"),
    ("docket.extract.packages.compressed", "CompressedExtractor"),
    ("docket.extract.packages.sevenzip", "SevenZipExtractor"),
    ("docket.extract.packages.rar", "RarExtractor"),
    ("docket.extract.packages.ole", "OleExtractor"),
    ("docket.extract.media.image", "ImageExtractor"),
    ("docket.extract.disk.extractor", "DiskImageExtractor"),
)


@cache
def extractors() -> tuple[Extractor, ...]:
    """Instances of every available extractor (built-ins whose module exists, then plugins)."""
    found: list[Extractor] = []
    for module, cls in BUILTINS:
        try:
            found.append(getattr(import_module(module), cls)())
        except ModuleNotFoundError as exc:
            # A built-in module not written yet (or a missing optional library).
            if not exc.name or not (exc.name.startswith("docket.") or exc.name == module):
                raise
    for ep in entry_points(group="docket.extractors"):
        found.append(ep.load()())
    return tuple(found)


def choose(detection: Detection) -> Extractor | None:
    """The extractor with the highest score for this detection, if any scores above 0."""
    best, best_score = None, 0
    for extractor in extractors():
        score = extractor.score(detection)
        if score > best_score:
            best, best_score = extractor, score
    return best
