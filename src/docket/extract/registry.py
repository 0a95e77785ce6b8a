"""The built-in extractors, listed in one visible place, plus third-party plugins from the
``docket.extractors`` entry-point group. The best ``score`` for a detection wins.

Every extractor declares the file types it reads (``Extractor.file_types``); the type
table and detection are built from those declarations, so a plugin that declares a type
is detected and dispatched exactly like a built-in one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points

from docket.extract import generic
from docket.extract.base import Extractor
from docket.extract.types import FileType
from docket.model.detection import Detection

# module path : class name. Imported when the registry is first built, never by import
# side effect.
BUILTINS: tuple[tuple[str, str], ...] = (
    ("docket.extract.documents.text", "TextExtractor"),
    ("docket.extract.documents.html", "HtmlExtractor"),
    ("docket.extract.documents.xml", "XmlExtractor"),
    ("docket.extract.documents.xml", "SvgExtractor"),
    ("docket.extract.documents.json", "JsonExtractor"),
    ("docket.extract.documents.ftm", "FtmExtractor"),
    ("docket.extract.documents.pdf", "PdfExtractor"),
    ("docket.extract.documents.ooxml", "DocxExtractor"),
    ("docket.extract.documents.ooxml", "PptxExtractor"),
    ("docket.extract.documents.odf", "OdfExtractor"),
    ("docket.extract.documents.rtf", "RtfExtractor"),
    ("docket.extract.documents.doc", "DocExtractor"),
    ("docket.extract.documents.ppt", "PptExtractor"),
    ("docket.extract.documents.epub", "EpubExtractor"),
    ("docket.extract.documents.ics", "IcsExtractor"),
    ("docket.extract.documents.vcard", "VcardExtractor"),
    ("docket.extract.documents.djvu", "DjvuExtractor"),
    ("docket.extract.tabular.spreadsheet", "SpreadsheetExtractor"),
    ("docket.extract.tabular.csv", "CsvExtractor"),
    ("docket.extract.tabular.dbf", "DbfExtractor"),
    ("docket.extract.tabular.access", "AccessExtractor"),
    ("docket.extract.email.eml", "EmlExtractor"),
    ("docket.extract.email.emlx", "EmlxExtractor"),
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
    ("docket.extract.media.av", "MediaExtractor"),
    ("docket.extract.disk.extractor", "DiskImageExtractor"),
)
# Types no built-in extractor declares: those recognised but not read.
BUILTIN_TYPES: tuple[FileType, ...] = generic.TYPES


@dataclass(frozen=True, slots=True)
class Registry:
    extractors: tuple[Extractor, ...]
    types: dict[str, FileType]  # every declared type by key, in declaration order

    def choose(self, detection: Detection) -> Extractor | None:
        """The extractor with the highest score for this detection, if any scores above 0."""
        best, best_score = None, 0
        for extractor in self.extractors:
            score = extractor.score(detection)
            if score > best_score:
                best, best_score = extractor, score
        return best


def build(classes: Iterable[type[Extractor]], extra_types: Iterable[FileType] = ()) -> Registry:
    """A registry of these extractors and the types they declare (plus ``extra_types``).

    A key declared twice is an error: a plugin cannot silently take over a built-in type.
    """
    found = tuple(cls() for cls in classes)
    types: dict[str, FileType] = {}
    for ftype in (*extra_types, *(t for e in found for t in e.file_types)):
        if ftype.key in types and types[ftype.key] != ftype:
            raise ValueError(f"file type {ftype.key!r} is declared twice")
        types[ftype.key] = ftype
    for extractor in found:
        unknown = extractor.types - types.keys()
        if unknown:
            raise ValueError(f"extractor {extractor.name!r} reads undeclared types {unknown}")
    return Registry(found, types)


def builtin_classes() -> list[type[Extractor]]:
    return [getattr(import_module(module), cls) for module, cls in BUILTINS]


def plugin_classes() -> list[type[Extractor]]:
    return [ep.load() for ep in entry_points(group="docket.extractors")]


@cache
def default() -> Registry:
    """The built-ins, then every installed plugin."""
    return build([*builtin_classes(), *plugin_classes()], BUILTIN_TYPES)


def extractors() -> tuple[Extractor, ...]:
    """Instances of every extractor (built-ins, then plugins)."""
    return default().extractors


def choose(detection: Detection) -> Extractor | None:
    return default().choose(detection)
