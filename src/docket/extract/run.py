"""Extract one item: detect, choose an extractor, run it, and turn what happened into an
``ExtractResult`` (status, code, message). This is the function workers call."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Callable
from pathlib import Path

from docket.acquire.blobstore import BlobStore
from docket.extract import decrypt, registry, types
from docket.extract.base import Extractor
from docket.extract.detect import detect
from docket.extract.disk.segments import image_segment
from docket.extract.passwords import DECRYPTED
from docket.extract.sink import Limits, Sink
from docket.model.detection import Detection
from docket.model.errors import Code, EncryptedError, ExtractError, LimitExceeded
from docket.model.items import Status
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS, Settings


def extract_file(
    path: Path,
    blobs: BlobStore,
    *,
    extension: str = "",
    size: int = 0,
    depth: int = 0,
    max_depth: int = 12,
    limits: Limits | None = None,
    name: str = "",
    keepalive: Callable[[float], None] | None = None,
    source: str | None = None,
    settings: Settings = DEFAULTS,
    reopen: tuple[tuple[str, ...], ...] = (),
) -> ExtractResult:
    """Run the best extractor on ``path``. Never raises for bad input."""
    try:
        detection = detect(path, extension)
    except OSError as exc:
        return ExtractResult(
            "binary", types.get("binary").mime, False, Status.FAILED, Code.UNREADABLE, str(exc)
        )
    ftype = types.get(detection.type)
    mismatch = not types.extension_matches(ftype.key, extension)
    result = ExtractResult(ftype.key, ftype.mime, mismatch, Status.OK)
    if mismatch:
        result.metadata["extension_mismatch"] = f".{extension} but content is {ftype.key}"
    if ftype.key == "empty":
        result.status, result.code, result.message = Status.OK, None, None
        return result
    segment = image_segment(detection, extension, source)
    if segment is not None:  # read with the split set's first segment, not on its own
        result.type, result.mime = segment[0], types.get(segment[0]).mime
        _fail(result, Status.SKIPPED, Code.IMAGE_SEGMENT, segment[1])
        return result
    extractor = registry.choose(detection)
    if extractor is None:
        return _unsupported(result, detection)
    result.extractor = extractor.name
    if ftype.family in ("archive", "email") and depth >= max_depth:
        result.status, result.code = Status.SKIPPED, Code.TOO_DEEP
        result.message = f"container nested {depth} deep; the limit is {max_depth}"
        return result
    sink = Sink(blobs, limits, container_size=size, name=name, source=source, settings=settings)
    sink._keepalive = keepalive
    sink.reopen = reopen
    locked = _run(extractor, path, sink, detection, result)
    if locked is not None and ftype.key in decrypt.LOCKED:
        sink = _open_locked(ftype.key, path, locked, sink, result, extension)
    elif locked is not None:
        _fail(result, locked.status, locked.code, locked.message)
    result.metadata.update(sink.metadata)
    result.segments = sink.segments
    result.children = sink.children
    result.warnings = sink.warnings
    if result.status == Status.OK and sink.warnings:
        result.status = Status.PARTIAL
        result.code, result.message = sink.warnings[0]
        if len(sink.warnings) > 1:
            result.message += f" (+{len(sink.warnings) - 1} more warnings)"
    return result


def _open_locked(
    kind: str,
    path: Path,
    locked: EncryptedError,
    sink: Sink,
    result: ExtractResult,
    extension: str,
) -> Sink:
    """Open an encrypted Office or ODF file with the user's passwords and extract its plaintext
    as this item, with a fresh sink; the sink to read the outcome from."""
    fresh = Sink(sink.blobs, sink.limits, container_size=sink.container_size, name=sink.name,
                 source=sink.source, settings=sink.settings)  # fmt: skip
    fresh._keepalive, fresh.reopen = sink._keepalive, sink.reopen
    try:
        with decrypt.plaintext(kind, path, fresh, locked.message) as opened:
            if opened is None:
                _fail(result, locked.status, locked.code, locked.message)
                return sink
            plain, record = opened
            fresh.meta(DECRYPTED, record)
            detection = detect(plain, extension)
            ftype = types.get(detection.type)
            extractor = registry.choose(detection)
            result.type, result.mime = ftype.key, ftype.mime
            result.ext_mismatch = not types.extension_matches(ftype.key, extension)
            result.metadata.pop("extension_mismatch", None)
            if extractor is None:
                _unsupported(result, detection)
                return fresh
            result.extractor = extractor.name
            again = _run(extractor, plain, fresh, detection, result)
            if again is not None:
                _fail(result, again.status, again.code, again.message)
    except ExtractError as exc:  # no password opened it, or the plaintext is damaged
        _fail(result, exc.status, exc.code, exc.message)
        return sink
    return fresh


def _run(
    extractor: Extractor, path: Path, sink: Sink, detection: Detection, result: ExtractResult
) -> EncryptedError | None:
    """Run one extractor, turning what it raises into the result's status; an
    ``EncryptedError`` is returned for the caller to try passwords on."""
    try:
        extractor.extract(path, sink, detection)
    except LimitExceeded as exc:
        sink.warn(exc.code, exc.message)
    except EncryptedError as exc:
        return exc
    except ExtractError as exc:
        _fail(result, exc.status, exc.code, exc.message)
    except MemoryError:
        _fail(result, Status.FAILED, Code.MEMORY, "out of memory under the worker's memory cap")
    except RecursionError:
        _fail(result, Status.FAILED, Code.CORRUPT, "structure nested too deeply to parse")
    except Exception as exc:  # a parser choking on bad bytes is normal input here
        if is_docket_bug(exc, extractor_file(extractor)):
            raise  # loud: the worker records it as ``internal``, not as the file's fault
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        _fail(result, Status.FAILED, Code.CORRUPT, f"{type(exc).__name__}: {exc} (at {where})")
    return None


# Exceptions that mean code is wrong, not that bytes are bad, when Docket's own code raised them.
_BUG_TYPES = (AttributeError, NameError, TypeError, AssertionError, ImportError)
_PACKAGE = Path(__file__).resolve().parent.parent


def is_docket_bug(exc: BaseException, plugin: Path | None = None) -> bool:
    """Whether ``exc`` is a bug rather than a parser meeting bad input: an exception of a
    programming-error type raised by a line of Docket's own code or of ``plugin`` (the
    module of an extractor installed from elsewhere). The same type raised inside a
    third-party parser is that parser choking on the file."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames or not isinstance(exc, _BUG_TYPES):
        return False
    where = Path(frames[-1].filename).resolve()
    return where.is_relative_to(_PACKAGE) or (plugin is not None and where == plugin)


def extractor_file(extractor: object) -> Path | None:
    """The source file of ``extractor``'s class, if it has one."""
    try:
        return Path(inspect.getfile(type(extractor))).resolve()
    except (TypeError, OSError):
        return None


def _fail(result: ExtractResult, status: str, code: str, message: str) -> None:
    result.status, result.code, result.message = status, str(code), message


def _unsupported(result: ExtractResult, detection: Detection) -> ExtractResult:
    family = types.get(detection.type).family
    if detection.notes.get("encrypted"):
        _fail(result, Status.ENCRYPTED, Code.ENCRYPTED, "encrypted Office package")
    elif family == "disk-image":
        _fail(result, Status.UNSUPPORTED, Code.UNSUPPORTED, "disk images are read by a later stage")
    else:
        _fail(result, Status.UNSUPPORTED, Code.UNSUPPORTED, f"no extractor reads {detection.type}")
    return result
