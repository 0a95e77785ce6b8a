"""Coded errors. A failure is data: every non-ok item carries one of these codes."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


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
    """Base class for errors Docket raises on purpose.

    A systemic one (the run, the case or the command line is wrong, not one item) that
    reaches the command line ends the command with its ``exit_code``, printed as
    ``label: message`` and then ``fix``, by the one handler in ``docket.cli.common``.
    Failures of one item (``ExtractError``) are data: recorded, never an exit."""

    exit_code: ClassVar[int] = 1
    label: ClassVar[str] = "error"
    fix: ClassVar[str] = ""


class CheckFailed(DocketError):
    """A check found a problem: verify names each mismatch, doctor a missing must-have,
    a seal or a PDF could not be made."""

    exit_code = 1


class BadArguments(DocketError):
    """The command line is wrong: a bad option value, a missing source or output folder,
    an unreadable query or watchlist. Nothing was started."""

    exit_code = 2


class BrokenCase(DocketError):
    """The case folder is missing, damaged (a table, the index) or locked by another run."""

    exit_code = 3


class ClusterFailure(DocketError):
    """``--cluster``: unreachable, no workers, a version mismatch, or the scheduler lost."""

    exit_code = 4
    label = "cluster error"


class RunAborted(DocketError):
    """The run stopped itself: one internal error (a bug) kept recurring."""

    exit_code = 5
    label = "aborted"
    fix = (
        "This is a bug in Docket. Once it is fixed, run `docket ingest` again: it resumes,"
        " and processes the items that failed with it again."
    )


class InterruptedRun(DocketError):
    """``docket verify``: the last run was interrupted (or one is still writing); resume
    it with ``docket ingest``. Reported by verify, not raised."""

    exit_code = 6
    fix = "Run `docket ingest` again to resume."


class DiskFull(BaseException):
    """The case's disk (or the catalogue's) is full. Never an item's fault: the run stops,
    the item stays pending, and the next run resumes once there is space.

    A ``BaseException``, like ``KeyboardInterrupt``, so that an extractor's broad
    ``except Exception`` (one bad member costs only that member) cannot record it as
    the member's or the item's failure — so not a ``DocketError`` either, but it has
    the same ``exit_code``, ``label`` and ``fix``, and the same handler ends the command.
    """

    exit_code: ClassVar[int] = 7
    label: ClassVar[str] = "disk full"
    fix: ClassVar[str] = (
        "Nothing written is lost; free space and run `docket ingest` again to resume."
    )


INTERRUPTED_BY_USER = 130  # Ctrl-C (128 + SIGINT), as shells report it; run again to resume

# Every exit code of the command line, in one place; docs/cli.md documents each (a test
# checks). 0 is success; the others are the systemic errors above, and Ctrl-C.
SYSTEMIC: tuple[type[DocketError] | type[DiskFull], ...] = (
    CheckFailed,
    BadArguments,
    BrokenCase,
    ClusterFailure,
    RunAborted,
    InterruptedRun,
    DiskFull,
)
EXIT_CODES: dict[int, str] = {
    0: "ok",
    **{cls.exit_code: cls.__name__ for cls in SYSTEMIC},
    INTERRUPTED_BY_USER: "KeyboardInterrupt",
}


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
