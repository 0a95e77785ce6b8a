"""The file types Docket knows: a short key, a MIME type, a family and usual extensions.

The key is what ``items.type`` holds and what ``type:`` matches in search; ``type:`` also
matches the family (``type:document``, ``type:archive``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileType:
    key: str
    mime: str
    family: str
    extensions: tuple[str, ...]


_TABLE = (
    # documents
    FileType("pdf", "application/pdf", "document", ("pdf",)),
    FileType(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "document",
        ("docx", "docm", "dotx", "dotm"),
    ),
    FileType("doc", "application/msword", "document", ("doc", "dot", "wps")),
    FileType("odt", "application/vnd.oasis.opendocument.text", "document", ("odt", "ott")),
    FileType("rtf", "application/rtf", "document", ("rtf",)),
    FileType("epub", "application/epub+zip", "document", ("epub",)),
    FileType("html", "text/html", "document", ("html", "htm", "xhtml", "mht")),
    FileType("text", "text/plain", "text", ("txt", "text", "log", "md", "ini", "cfg")),
    FileType("xml", "application/xml", "data", ("xml", "xsd", "xsl", "svg", "rss", "kml")),
    FileType("json", "application/json", "data", ("json", "geojson", "jsonl")),
    # presentations
    FileType(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "presentation",
        ("pptx", "pptm", "ppsx", "potx"),
    ),
    FileType("ppt", "application/vnd.ms-powerpoint", "presentation", ("ppt", "pps", "pot")),
    FileType("odp", "application/vnd.oasis.opendocument.presentation", "presentation", ("odp",)),
    # spreadsheets
    FileType(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "spreadsheet",
        ("xlsx", "xlsm", "xltx", "xltm"),
    ),
    FileType(
        "xlsb", "application/vnd.ms-excel.sheet.binary.macroenabled.12", "spreadsheet", ("xlsb",)
    ),
    FileType("xls", "application/vnd.ms-excel", "spreadsheet", ("xls", "xlt")),
    FileType(
        "ods", "application/vnd.oasis.opendocument.spreadsheet", "spreadsheet", ("ods", "ots")
    ),
    FileType("csv", "text/csv", "spreadsheet", ("csv", "tsv", "tab")),
    # e-mail
    FileType("eml", "message/rfc822", "email", ("eml", "mhtml", "emlx")),
    FileType("mbox", "application/mbox", "email", ("mbox", "mbx", "mbs")),
    FileType("msg", "application/vnd.ms-outlook", "email", ("msg",)),
    FileType("pst", "application/vnd.ms-outlook-pst", "email", ("pst", "ost")),
    FileType("ics", "text/calendar", "document", ("ics", "ical")),
    # archives and compressed streams
    FileType("zip", "application/zip", "archive", ("zip", "jar", "apk", "kmz")),
    FileType("tar", "application/x-tar", "archive", ("tar",)),
    FileType("gzip", "application/gzip", "archive", ("gz", "tgz", "gzip")),
    FileType("bzip2", "application/x-bzip2", "archive", ("bz2", "tbz", "tbz2")),
    FileType("xz", "application/x-xz", "archive", ("xz", "txz")),
    FileType("7z", "application/x-7z-compressed", "archive", ("7z",)),
    FileType("rar", "application/vnd.rar", "archive", ("rar",)),
    FileType("ole", "application/x-ole-storage", "data", ()),
    # images and media (kept for OCR)
    FileType("png", "image/png", "image", ("png",)),
    FileType("jpeg", "image/jpeg", "image", ("jpg", "jpeg", "jpe", "jfif")),
    FileType("gif", "image/gif", "image", ("gif",)),
    FileType("tiff", "image/tiff", "image", ("tif", "tiff")),
    FileType("bmp", "image/bmp", "image", ("bmp", "dib")),
    FileType("webp", "image/webp", "image", ("webp",)),
    FileType("metafile", "image/emf", "image", ("emf", "wmf", "emz", "wmz")),
    FileType("audio", "audio/unknown", "media", ("mp3", "wav", "ogg", "m4a", "flac", "amr")),
    FileType("video", "video/unknown", "media", ("mp4", "avi", "mov", "mkv", "3gp", "wmv")),
    # disk images (read in a later stage)
    FileType("ewf", "application/x-ewf", "disk-image", ("e01", "ex01", "l01")),
    FileType("iso", "application/x-iso9660-image", "disk-image", ("iso",)),
    # a raw (dd) disk, partition table or bare file system, recognised by its structures
    FileType(
        "disk", "application/x-raw-disk-image", "disk-image", ("dd", "img", "raw", "ima", "001")
    ),
    FileType(
        "executable", "application/x-executable", "program", ("exe", "dll", "so", "elf", "sys")
    ),
    FileType("sqlite", "application/vnd.sqlite3", "data", ("sqlite", "db", "sqlite3")),
    FileType("empty", "application/x-empty", "empty", ()),
    FileType("binary", "application/octet-stream", "unknown", ("bin", "dat")),
)

TYPES: dict[str, FileType] = {t.key: t for t in _TABLE}
FAMILIES: frozenset[str] = frozenset(t.family for t in _TABLE)


def get(key: str) -> FileType:
    return TYPES.get(key, TYPES["binary"])


def extension_matches(key: str, extension: str) -> bool:
    """Whether a file's extension is usual for its detected type.

    No extension, and types with no usual extension, count as a match: only a claim that
    contradicts the content is a mismatch.
    """
    ext = extension.lower()
    ftype = TYPES.get(key)
    if not ext or ftype is None or not ftype.extensions:
        return True
    if ext in ftype.extensions:
        return True
    # Text-based formats are often saved with each other's extensions.
    lenient = {"text", "csv", "xml", "html", "json"}
    owner = next((t for t in _TABLE if ext in t.extensions), None)
    return owner is None or (key in lenient and owner.key in lenient)
