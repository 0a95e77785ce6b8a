"""The benchmark corpus: mixed documents of natural prose, a quarter of them in Arabic.

``build(out, n)`` writes ``n`` documents whose text is 2–20 KB (log-uniform) of the
Markov-chain prose of ``bench.prose`` with names, places, dates and amounts in it, as
txt, html, csv, eml, docx and pdf in equal shares. About one document in twelve sits in a
zip, one in twelve (not html) is attached to an e-mail, and a third of the e-mails are
gathered into mbox files (2,000 documents: 161, 159 and 116). Same ``n`` and seed, same bytes (for one Python version and one set of shared
samples). A JSON summary of what was written goes beside the folder (``summary_path``).
"""

from __future__ import annotations

import io
import json
import math
import random
import shutil
import textwrap
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import prose
from docket.demo.writers import documents as d
from docket.demo.writers import email as e
from docket.demo.writers import tabular as t

# Short words for bench/cluster.py's scanned pages (OCR cost depends on the image, not on
# the prose); the document corpus below does not use them.
EN_WORDS = [
    "transfer",
    "request",
    "payroll",
    "office",
    "salary",
    "report",
    "council",
    "ledger",
    "receipt",
    "meeting",
    "budget",
    "district",
    "unit",
    "supply",
]
KINDS = ["txt", "html", "csv", "eml", "docx", "pdf"]
VERSION = 2  # bump when the generator changes, so an old corpus is not reused
_FIXED = (2020, 1, 1, 0, 0, 0)


def _encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # cp1256 lacks Arabic-Indic digits
        return text.encode("utf-8")


def _pdf_pages(paras: list[str], width: int = 60, per_page: int = 30) -> list[list[str]]:
    lines: list[str] = []
    for para in paras:
        lines += [*textwrap.wrap(para, width), ""]
    pages = [lines[k : k + per_page] for k in range(0, len(lines), per_page)]
    return [page for page in pages if any(page)]  # no blank page (OCR would read it)


def _csv_rows(rng: random.Random, arabic: bool, size: int) -> list[list[str]]:
    head = (
        ["التاريخ", "الاسم", "المكان", "المبلغ", "ملاحظات"]
        if arabic
        else ["date", "name", "place", "amount", "notes"]
    )
    rows, total = [head], 0
    people, model = prose.cast(), prose.chain(arabic)
    while total < size:
        person = rng.choice(people)
        name = person.name(arabic, rng) or person.en
        row = [
            prose.date(rng, arabic),
            name,
            rng.choice(prose.PLACES)[0 if arabic else 1],
            prose.amount(rng, arabic),
            model.sentence(rng, 5, 25),
        ]
        rows.append(row)
        total += len(",".join(row).encode()) + 2
    return rows


@dataclass
class _Doc:
    i: int
    kind: str
    arabic: bool
    name: str
    data: bytes  # the file, or for an e-mail its body until the message is written
    text: int  # bytes of text in it


def _document(rng: random.Random, i: int, kind: str, arabic: bool, size: int) -> _Doc:
    when = datetime(2014, 1, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 3_000_000))
    title = prose.title(rng, arabic)
    author = rng.choice(prose.cast())
    author_name = author.name(arabic, rng) or author.en
    name = f"doc-{i:06d}.{kind}"
    if kind == "csv":
        rows = _csv_rows(rng, arabic, size)
        enc = rng.choice(["cp1256", "utf-8-sig"]) if arabic else "utf-8"
        text = sum(len(",".join(r).encode()) + 2 for r in rows)
        return _Doc(i, kind, arabic, name, _encode(t.make_csv(rows, "utf-8").decode(), enc), text)
    paras = prose.paragraphs(rng, arabic, size)
    text = sum(len(p.encode()) + 1 for p in paras)
    if kind == "txt":
        enc = "cp1256" if arabic and rng.random() < 0.5 else "utf-8"
        data = _encode("\n\n".join([title, *paras]) + "\n", enc)
    elif kind == "html":
        data = d.make_html(title, paras, lang="ar" if arabic else "en", author=author_name)
    elif kind == "docx":
        data = d.make_docx(
            paras, rtl=arabic, title=title, author=author_name, created=when, modified=when
        )
    elif kind == "pdf":
        data = d.make_pdf(_pdf_pages(paras), title=title, author=author_name, created=when)
    else:  # eml: the body now; attachments are added when the message is written
        return _Doc(i, kind, arabic, name, "\n\n".join(paras).encode(), text)
    return _Doc(i, kind, arabic, name, data, text)


def _eml(rng: random.Random, doc: _Doc, attachments: list[_Doc]) -> bytes:
    people = prose.cast()
    a, b = rng.choice(people), rng.choice(people)
    when = datetime(2014, 1, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 3_000_000))
    body = doc.data.decode()
    charset = "windows-1256" if doc.arabic and rng.random() < 0.3 else "utf-8"
    try:
        body.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    random.seed(f"bench-{doc.i}")  # the email package draws MIME boundaries from it
    return e.make_eml(
        f"{a.name(doc.arabic, rng) or a.en} <{prose.email(a, rng)}>",
        f"{b.name(doc.arabic, rng) or b.en} <{prose.email(b, rng)}>",
        prose.title(rng, doc.arabic),
        body,
        date=when,
        charset=charset,
        message_id=f"<bench-{doc.i:06d}@example.org>",
        attachments=[(x.name, x.data) for x in attachments],
    )


def _zip(members: list[_Doc]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for m in members:
            z.writestr(zipfile.ZipInfo(f"files/{m.name}", _FIXED), m.data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def build(out: Path, n: int = 2_000, seed: int = 7) -> dict:
    """Write ``n`` documents under ``out`` (built in a sibling folder, then renamed) and
    return the summary also written to ``summary_path(out)``."""
    rng = random.Random(seed)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    arabic_at = set(rng.sample(range(n), n // 4))
    kinds = [KINDS[i % len(KINDS)] for i in range(n)]
    rng.shuffle(kinds)
    stats: Counter[str] = Counter()
    placed: Counter[str] = Counter()
    zip_q: list[_Doc] = []
    attach_q: list[_Doc] = []
    mbox_q: list[bytes] = []
    zip_at, mbox_at = rng.randint(4, 10), rng.randint(5, 10)
    files = 0

    def write(name: str, data: bytes) -> None:
        nonlocal files
        path = tmp / f"{files // 400:03d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        files += 1

    def flush_zip() -> None:
        if zip_q:
            write(f"archive-{zip_q[0].i:06d}.zip", _zip(zip_q))
            placed["zip files"] += 1
            zip_q.clear()

    def flush_mbox() -> None:
        if mbox_q:
            write(f"mail-{files:06d}.mbox", e.make_mbox(mbox_q))
            placed["mbox files"] += 1
            mbox_q.clear()

    for i in range(n):
        kind, arabic = kinds[i], i in arabic_at
        size = int(2048 * math.exp(rng.random() * math.log(10)))
        doc = _document(rng, i, kind, arabic, size)
        stats[kind] += 1
        stats["arabic"] += arabic
        stats["text bytes"] += doc.text
        where = rng.random()
        if kind == "eml":
            attached = [attach_q.pop(0) for _ in range(min(len(attach_q), rng.randint(1, 2)))]
            raw = _eml(rng, doc, attached)
            placed["e-mail attachments"] += len(attached)
            stats["bytes"] += len(raw) - sum(len(x.data) for x in attached)
            if where < 0.35:
                mbox_q.append(raw)
                placed["in mbox"] += 1
                if len(mbox_q) >= mbox_at:
                    flush_mbox()
                    mbox_at = rng.randint(5, 10)
            else:
                write(doc.name, raw)
            continue
        stats["bytes"] += len(doc.data)
        if where < 0.10:
            zip_q.append(doc)
            placed["in zip"] += 1
            if len(zip_q) >= zip_at:
                flush_zip()
                zip_at = rng.randint(4, 10)
        elif where < 0.22 and kind != "html":
            attach_q.append(doc)
        else:
            write(doc.name, doc.data)
    flush_zip()
    flush_mbox()
    for doc in attach_q:  # no e-mail came after them
        write(doc.name, doc.data)
    summary = {
        "version": VERSION,
        "seed": seed,
        "documents": n,
        "files": files,
        "formats": {k: stats[k] for k in KINDS},
        "arabic": stats["arabic"],
        "text_bytes": stats["text bytes"],
        "document_bytes": stats["bytes"],
        "disk_bytes": sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file()),
        "nesting": dict(placed),
        "sources": prose.sources(),
    }
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    summary_path(out).write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return summary


def summary_path(out: Path) -> Path:
    """Where ``build`` leaves its summary: beside the corpus, not in it (or it is ingested)."""
    return out.with_name(out.name + ".json")


def build_large(out: Path, count: int = 2, size_mb: int = 1100) -> list[Path]:
    """``count`` files of ``size_mb`` MiB of pseudo-random bytes, written in 1 MiB chunks."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(count):
        path = out / f"large-{k}.bin"
        if not path.exists() or path.stat().st_size != size_mb * 1024 * 1024:
            rng = random.Random(k)
            block = rng.randbytes(1024 * 1024)
            with open(path, "wb") as f:
                for j in range(size_mb):
                    f.write(block[j % 97 :] + block[: j % 97])
        written.append(path)
    return written
