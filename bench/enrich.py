"""CPU per item of the enrich stage (stage two), enricher by enricher, on the bench corpus.

    .venv/bin/python -m bench.enrich [--docs 300] [--seed 7] [--profile N]

Builds the natural-prose corpus of ``bench.corpus`` (``bench.ingest``'s, smaller), runs
stage one into a case (``DOCKET_ENRICH=language``) once, then runs stage two in this one
process on a copy of that case, with the tasks run inline instead of in worker
processes (enrich tasks in batches, as a pool's worker takes them from its queue: up to
``pool.BATCH_ITEMS`` items and ``pool.BATCH_CHARS`` of text), and measures CPU seconds (``time.process_time``, not wall time: the figures
hold on a shared machine): each enricher's, the worker's folding of the text for the
index, the coordinator's writes and re-indexing, and resolution at the end. The
estimate of documents/s on N cores is N / (CPU seconds a document), as if the workers
and the coordinator kept N cores busy (the issue's target: >= 60 on 2 cores).
``--profile N`` prints cProfile's top N functions by cumulative time too.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.corpus import VERSION, build, summary_path

OUT = Path(__file__).parent / "out"
TARGET = 60  # documents/s on 2 cores (issue 16)
_cpu: dict[str, float] = defaultdict(float)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            _cpu[name] += time.process_time() - t

    return run


class Inline:
    """The executor protocol, running each task in this process when polled. The stage
    commits every ``COMMIT_EVERY`` documents, as a real run does at the target rate
    (every ``commit_seconds``, 2 s, at 60 documents/s), not every 2 s of this slower run."""

    name = "inline"
    COMMIT_EVERY = 120

    def __init__(self, root: Path, settings: Any) -> None:
        self.root, self.settings = root, settings
        self.queue: list[Any] = []
        self.passes: list[Any] = []
        self.count = 0

    def free(self) -> int:
        from docket.pipeline.pool import BATCH_ITEMS

        return BATCH_ITEMS if not self.queue else 0

    def busy(self) -> int:
        return len(self.queue)

    def submit(self, task: Any) -> None:
        self.queue.append(task)

    def poll(self, timeout: float) -> list[tuple[Any, str, Any]]:
        from docket.pipeline.pool import BATCH_CHARS
        from docket.pipeline.tasks import process_many

        out: list[tuple[Any, str, Any]] = []
        while self.queue:
            batch = [self.queue.pop(0)]
            chars = batch[0].size
            while self.queue and chars < BATCH_CHARS and chars + self.queue[0].size <= BATCH_CHARS:
                batch.append(self.queue.pop(0))
                chars += batch[-1].size
            for task, events in zip(batch, process_many(batch, self.settings), strict=True):
                out.extend((task, kind, value) for kind, value in events)
                self.count += 1
                if self.count % self.COMMIT_EVERY == 0 and self.passes:
                    self.passes[-1].last_commit = float("-inf")  # flush at the next turn
        return out

    def close(self) -> None:
        pass


def _stage_one(corpus: Path, case: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_")}
    env["DOCKET_ENRICH"] = "language"
    cmd = [sys.executable, "-m", "docket", "ingest", str(corpus.resolve()), "--case", str(case)]
    subprocess.run([*cmd, "--json"], env=env, check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", type=int, default=0, help="print cProfile's top N functions")
    ap.add_argument("--keep", action="store_true", help="keep the enriched case (bench/out)")
    args = ap.parse_args()
    corpus = OUT / f"prose-v{VERSION}-{args.docs}-s{args.seed}"
    if not summary_path(corpus).exists():
        build(corpus, args.docs, args.seed)
    docs = json.loads(summary_path(corpus).read_text())["documents"]
    base = OUT / f"case-enrich-{corpus.name}"
    if not (base / ".stage-one-done").exists():
        shutil.rmtree(base, ignore_errors=True)
        _stage_one(corpus, base)
        (base / ".stage-one-done").touch()
    case_dir = OUT / "case-enrich-run"
    shutil.rmtree(case_dir, ignore_errors=True)
    shutil.copytree(base, case_dir)

    from docket import enrich as enrich_mod
    from docket.case import Case
    from docket.enrich.ner import english
    from docket.pipeline import enrichment, tasks
    from docket.resolve import run as resolve_run

    settings_env = {k: v for k, v in os.environ.items() if k.startswith("DOCKET_")}
    for k in settings_env:
        del os.environ[k]
    english.load(english.DEFAULT_MODEL)  # loaded once per worker: not per item
    for e in enrich_mod.ENRICHERS:
        fn, many = e.fn, e.many_fn
        object.__setattr__(e, "function", "_bench_timed")
        sys.modules[e.module]._bench_timed = _timed(e.name, fn)
        if many is not None:
            object.__setattr__(e, "many", "_bench_timed_many")
            sys.modules[e.module]._bench_timed_many = _timed(e.name, many)
    tasks.text_fields = _timed("worker: fold text for the index", tasks.text_fields)  # type: ignore[attr-defined]
    from docket.store.fulltext import FullText

    FullText.put = _timed("coordinator: re-index", FullText.put)  # type: ignore[method-assign]
    enrichment.commit_items = _timed("coordinator: re-index", enrichment.commit_items)  # type: ignore[attr-defined]
    enrichment._Pass.flush = _timed("coordinator: flush (incl. re-index)", enrichment._Pass.flush)  # type: ignore[method-assign]
    enrichment._Pass._task = _timed("coordinator: read item", enrichment._Pass._task)  # type: ignore[method-assign]
    resolve_run.resolve_store = _timed("coordinator: resolution", resolve_run.resolve_store)
    # Names parsed as they arrive (in the flush, counted there too): resolution's work
    # done while the workers run, not after them.
    enrichment.prepare = _timed("coordinator: flush: names for resolution", enrichment.prepare)  # type: ignore[attr-defined]

    case = Case.open(case_dir)
    case.settings = case.settings.replace(commit_seconds=1e9)
    items = case.catalogue.count("status != 'pending'")
    inline = Inline(case.blobs.root, case.settings)
    init = enrichment._Pass.__init__

    def track(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        inline.passes.append(self)

    enrichment._Pass.__init__ = track  # type: ignore[method-assign]
    profiler = cProfile.Profile() if args.profile else None
    start = time.process_time()
    if profiler:
        profiler.enable()
    progress = enrichment.enrich(case, executor=inline, argv=[])
    if profiler:
        profiler.disable()
    total = time.process_time() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"stage two on {corpus.name}: {docs} documents, {items} items, {progress.status}; "
        f"CPU {total:.2f} s = {1000 * total / docs:.1f} ms a document"
    )
    names = [e.name for e in enrich_mod.ENRICHERS if e.name not in enrich_mod.STAGE_ONE]
    parts = [*names, *sorted(k for k in _cpu if k not in names)]
    for name in parts:
        print(f"  {name:40} {1000 * _cpu[name] / docs:7.2f} ms a document")
    print(
        f"estimate: {2 / (total / docs):.0f} documents/s on 2 cores "
        f"(target >= {TARGET}); peak RSS of this one process {rss:.0f} MB"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    if not args.keep:
        shutil.rmtree(case_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
