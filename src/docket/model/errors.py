"""Coded errors. A failure is data: every non-ok item carries one of these codes."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Error and reason codes recorded on items (``items.code``)."""

    ENCRYPTED = "encrypted"  # password-protected; bytes kept
    CORRUPT = "corrupt"  # the parser could not make sense of the bytes
    TRUNCATED = "truncated"  # the data ends before the format says it should
    TIMEOUT = "timeout"  # the worker exceeded the wall-clock limit and was killed
    MEMORY = "memory"  # the worker exceeded the memory cap
    CRASH = "crash"  # the worker process died (signal) while extracting
    TOO_LARGE = "too-large"  # a single item over the size limit for extraction
    ZIP_BOMB = "zip-bomb"  # expansion ratio or expanded total over the cap
    TOO_MANY_MEMBERS = "too-many-members"  # member count over the cap
    TOO_DEEP = "too-deep"  # container nesting deeper than the cap
    PATH_TRAVERSAL = "path-traversal"  # member name points outside its container
    OVERLAPPING = "overlapping-entries"  # zip entries sharing bytes (a bomb technique)
    XML_ENTITIES = "xml-entities"  # XML declares entities; expansion refused
    IMAGE_BOMB = "image-bomb"  # image dimensions over the decompression cap
    UNSUPPORTED = "unsupported"  # type recognised (or not) but no extractor reads it
    EMPTY = "empty"  # zero bytes
    LINK = "link"  # a symbolic link: recorded, never followed
    UNREADABLE = "unreadable"  # the source file could not be opened or read
    NO_OCR = "no-ocr"  # an image kept for OCR, which has not run on it
    # a configured OCR language has no Tesseract data: the message names the package
    OCR_LANGUAGE_MISSING = "ocr-language-missing"
    PAGE_ERROR = "page-error"  # one page or part failed; the rest was read
    MEMBER_ERROR = "member-error"  # one member of a container failed to read
    DECODE = "decode"  # text decoded with replacement characters
    INTERNAL = "internal"  # a bug in Docket; the message has the exception
    WORKER_LOST = "worker-lost"  # every cluster worker that took the item died (retries spent)
    KNOWN_FILE = "known-file"  # hash found in a loaded known-file set (NSRL); not extracted
    IMAGE_SEGMENT = "image-segment"  # a later segment of a split disk image; read with the first


class DocketError(Exception):
    """Base class for errors Docket raises on purpose."""


class DiskFull(BaseException):
    """The case's disk (or the catalogue's) is full. Never an item's fault: the run stops,
    the item stays pending, and the next run resumes once there is space.

    A ``BaseException``, like ``KeyboardInterrupt``, so that an extractor's broad
    ``except Exception`` (one bad member costs only that member) cannot record it as
    the member's or the item's failure.
    """


class ExtractError(DocketError):
    """Raised by an extractor when an item cannot be read at all.

    ``status`` is the item status to record (``failed``, ``encrypted``, ``unsupported``,
    ``skipped``).
    """

    def __init__(self, code: Code | str, message: str, status: str = "failed") -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.status = status


class EncryptedError(ExtractError):
    """The item is password-protected."""

    def __init__(self, message: str = "password-protected") -> None:
        super().__init__(Code.ENCRYPTED, message, status="encrypted")


class LimitExceeded(ExtractError):
    """A safety limit was breached while expanding a container."""

    def __init__(self, code: Code | str, message: str) -> None:
        super().__init__(code, message, status="partial")
