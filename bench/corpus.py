"""A generated corpus of small mixed documents, a quarter of them in Arabic."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from docket.demo.writers import documents as d
from docket.demo.writers import email as e
from docket.demo.writers import tabular as t

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
AR_WORDS = [
    "طلب",
    "تحويل",
    "رواتب",
    "مكتب",
    "تقرير",
    "ميزانية",
    "اجتماع",
    "إيصال",
    "مبلغ",
    "دولار",
    "الرقة",
    "الموصل",
    "دير",
    "الزور",
    "قائمة",
]
NAMES = [
    "أبو عمار النعيمي",
    "حسن الجبوري",
    "خالد العبيدي",
    "Abu Ammar al-Nuaimi",
    "Samir Abdullah",
    "Omar al-Hamdani",
]


def _sentence(rng: random.Random, arabic: bool, n: int = 40) -> str:
    words = AR_WORDS if arabic else EN_WORDS
    return (
        " ".join(rng.choice(words) for _ in range(n))
        + f" {rng.choice(NAMES)} {rng.randint(100, 99999)}"
    )


def _makers(rng: random.Random, arabic: bool, i: int) -> dict[str, Callable[[], bytes]]:
    text = [_sentence(rng, arabic) for _ in range(rng.randint(2, 6))]
    date = datetime(2018, 1, 1, tzinfo=UTC) + timedelta(days=i % 700)
    rows = [
        ["name", "amount", "date"],
        *[
            [rng.choice(NAMES), rng.randint(50, 900), f"2019-0{1 + k % 9}-1{k % 9}"]
            for k in range(rng.randint(5, 30))
        ],
    ]
    return {
        "txt": lambda: "\n".join(text).encode("cp1256" if arabic and i % 2 else "utf-8"),
        "html": lambda: d.make_html(f"page {i}", text),
        "csv": lambda: t.make_csv(rows, encoding="cp1256" if arabic else "utf-8"),
        "eml": lambda: e.make_eml(
            "a@example.org", "b@example.org", f"message {i}", "\n".join(text), date=date
        ),
        "docx": lambda: d.make_docx(
            text, rtl=arabic, title=f"letter {i}", author="clerk", created=date, modified=date
        ),
        "xlsx": lambda: t.make_xlsx({"Sheet1": rows}),
        "pdf": lambda: d.make_pdf([text[:3]], title=f"report {i}", created=date),
    }


def build(out: Path, n: int = 10_000, seed: int = 7) -> list[Path]:
    """Write ``n`` small documents under ``out`` (round-robin over seven formats)."""
    rng = random.Random(seed)
    kinds = ["txt", "html", "csv", "eml", "docx", "xlsx", "pdf"]
    written = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        arabic = i % 4 == 0
        path = out / f"{i // 500:03d}" / f"doc-{i:06d}.{kind}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_makers(rng, arabic, i)[kind]())
        written.append(path)
    return written


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
