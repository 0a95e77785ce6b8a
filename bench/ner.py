"""Entity extraction precision and recall.

1. The news sample (/work/shared/samples/news/isis_files_report.txt) against the hand
   annotation in bench/data/isis_files_report.gold.tsv: distinct (kind, surface form).
2. The generated demo letters and reports against the ground truth in
   docket.demo.content.PEOPLE: every spelling of a person that occurs in a text should be
   found as a person mention with exactly that text, and nothing else should.
3. Long texts whole or in pieces (``english.CHUNK_CHARS``, issue 16): precision and
   recall of both ways side by side, on the news sample split into a dev half (its
   first lines, where the piece length was chosen) and a held-out test half (the rest;
   the gold of each half is the annotated forms that occur in it), and on the demo
   texts.
4. The model on whole texts or only on windows around the words that may be names
   (``english.WINDOW_WORDS``, issue 16): precision and recall of both side by side on
   the same splits (the window width is the model's reach, not tuned on the test half).

Usage: .venv/bin/python bench/ner.py
"""

from __future__ import annotations

import time
from pathlib import Path

from docket.demo import content as c
from docket.enrich.ner import arabic, english
from docket.model.items import Segment
from docket.model.results import ExtractResult
from docket.settings import DEFAULTS

HERE = Path(__file__).parent
NEWS = HERE.parents[1] / "shared" / "samples" / "news" / "isis_files_report.txt"
KINDS = ("person", "org", "place")


def mentions(lines: list[str]) -> set[tuple[str, str]]:
    result = ExtractResult("text", "text/plain", False, "ok", segments=[Segment("\n".join(lines))])
    arabic.enrich(result, DEFAULTS)
    english.enrich(result, DEFAULTS)
    return {(m.kind, m.text) for m in result.mentions if m.kind in KINDS}


def prf(found: set[tuple[str, str]], gold: set[tuple[str, str]]) -> str:
    tp = len(found & gold)
    p = tp / len(found) if found else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.2f}  R {r:.2f}  F1 {f:.2f}  (found {len(found)}, gold {len(gold)}, hit {tp})"


def news() -> None:
    if not NEWS.exists():
        print("news sample absent; skipped")
        return
    gold_rows = (HERE / "data" / "isis_files_report.gold.tsv").read_text().splitlines()
    gold = {tuple(r.split("\t")) for r in gold_rows[1:] if r and not r.startswith("#")}
    gold.discard(("kind", "text"))
    found = mentions(NEWS.read_text().splitlines())
    print("news sample (isis_files_report.txt), distinct (kind, text):")
    for kind in KINDS:
        g = {x for x in gold if x[0] == kind}
        f = {x for x in found if x[0] == kind}
        print(f"  {kind:7} {prf(f, g)}")
    print(f"  all     {prf(found, gold)}")  # type: ignore[arg-type]
    print(f"  missed: {sorted(gold - found)}")  # type: ignore[operator]
    print(f"  extra:  {sorted(found - gold)}")  # type: ignore[operator]


def demo() -> None:
    spellings = {s for names in c.PEOPLE.values() for s in names}
    docs = [c.LETTER_AR, c.LETTER_EN, *c.MEMO_AR, *c.REPORT_EN]
    found_all: set[tuple[int, str]] = set()
    gold_all: set[tuple[int, str]] = set()
    for n, lines in enumerate(docs):
        text = "\n".join(lines)
        gold_all |= {(n, s) for s in spellings if s in text}
        found_all |= {(n, t) for k, t in mentions(lines) if k == "person"}
    tp = len(found_all & gold_all)
    p = tp / len(found_all) if found_all else 0.0
    r = tp / len(gold_all) if gold_all else 0.0
    print("demo letters and reports, person mentions per document (exact text):")
    print(f"  P {p:.2f}  R {r:.2f}  (found {len(found_all)}, gold {len(gold_all)}, hit {tp})")
    print(f"  missed: {sorted(t for _, t in gold_all - found_all)}")
    print(f"  extra:  {sorted(t for _, t in found_all - gold_all)}")


def _split_news() -> dict[str, tuple[list[str], set[tuple[str, str]]]]:
    lines = NEWS.read_text().splitlines()
    gold_rows = (HERE / "data" / "isis_files_report.gold.tsv").read_text().splitlines()
    gold = {tuple(r.split("\t")) for r in gold_rows[1:] if r and not r.startswith("#")}
    gold.discard(("kind", "text"))
    half = len(lines) // 2
    out = {}
    for name, part in (("dev", lines[:half]), ("test", lines[half:])):
        text = "\n".join(part)
        out[name] = (part, {g for g in gold if g[1] in text})  # type: ignore[misc]
    return out


def chunking() -> None:
    """Whole texts against pieces of ``english.CHUNK_CHARS``: same P/R or better."""
    if not NEWS.exists():
        print("news sample absent; chunking comparison skipped")
        return
    pieces = english.CHUNK_CHARS
    splits = _split_news()
    print(f"English NER on long texts, whole (old) vs in pieces of {pieces} characters (new):")
    for name, (lines, gold) in splits.items():
        row = []
        for label, limit in (("whole", 10**9), ("pieces", pieces)):
            english.CHUNK_CHARS = limit
            row.append(f"{label}: {prf(mentions(lines), gold)}")
        print(f"  news {name:4} " + " | ".join(row))
    spellings = {s for names in c.PEOPLE.values() for s in names}
    docs = [c.LETTER_AR, c.LETTER_EN, *c.MEMO_AR, *c.REPORT_EN]
    row = []
    for label, limit in (("whole", 10**9), ("pieces", pieces)):
        english.CHUNK_CHARS = limit
        found = {
            (n, t) for n, lines in enumerate(docs) for k, t in mentions(lines) if k == "person"
        }
        gold = {(n, s) for n, lines in enumerate(docs) for s in spellings if s in "\n".join(lines)}
        tp = len(found & gold)
        row.append(f"{label}: P {tp / max(1, len(found)):.2f}  R {tp / max(1, len(gold)):.2f}")
    print("  demo persons " + " | ".join(row))
    english.CHUNK_CHARS = pieces


def windowing() -> None:
    """The model on whole texts against windows of ``english.WINDOW_WORDS`` tokens around
    the words that may be names: same P/R or better."""
    if not NEWS.exists():
        print("news sample absent; windows comparison skipped")
        return
    width = english.WINDOW_WORDS
    modes = (("whole", None), (f"windows of {width} tokens", width))
    print("English NER, the model on whole texts (old) vs in windows (new):")
    for name, (lines, gold) in _split_news().items():
        row = []
        for label, words in modes:
            english.WINDOW_WORDS = words
            row.append(f"{label}: {prf(mentions(lines), gold)}")
        print(f"  news {name:4} " + " | ".join(row))
    spellings = {s for names in c.PEOPLE.values() for s in names}
    docs = [c.LETTER_AR, c.LETTER_EN, *c.MEMO_AR, *c.REPORT_EN]
    row = []
    for label, words in modes:
        english.WINDOW_WORDS = words
        found = {
            (n, t) for n, lines in enumerate(docs) for k, t in mentions(lines) if k == "person"
        }
        gold = {(n, s) for n, lines in enumerate(docs) for s in spellings if s in "\n".join(lines)}
        tp = len(found & gold)
        row.append(f"{label}: P {tp / max(1, len(found)):.2f}  R {tp / max(1, len(gold)):.2f}")
    print("  demo persons " + " | ".join(row))
    english.WINDOW_WORDS = width


if __name__ == "__main__":
    started = time.perf_counter()
    english.load(english.DEFAULT_MODEL)
    print(f"model load (first, in this process): {time.perf_counter() - started:.1f} s")
    news()
    demo()
    chunking()
    windowing()
