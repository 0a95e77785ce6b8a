"""Generate the sample case: a fictional seized cache in Arabic and English.

Letters (DOCX, PDF, RTF, ODT), a briefing (PPTX), a web page, a roster and a payment list
(XLSX; CSV in Windows-1256), e-mail with attachments (EML, MBOX, MSG), nested archives,
and a few damaged and hostile files, each of which Docket must record with a reason.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from docket.demo import content as c
from docket.demo.writers import documents as d
from docket.demo.writers import email as e
from docket.demo.writers import hostile as h
from docket.demo.writers import tabular as t


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _tar_gz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(datetime(2019, 4, 1, tzinfo=UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _files() -> dict[str, Callable[[], bytes]]:
    created = datetime(2019, 3, 2, 8, 0, tzinfo=UTC)
    letter_ar = d.make_docx(
        c.LETTER_AR,
        rtl=True,
        title="طلب تحويل",
        author="أبو عمار",
        created=created,
        modified=created,
    )
    letter_en = d.make_docx(
        c.LETTER_EN, title="Transfer request", author="nuaimi", created=created, modified=created
    )
    roster = t.make_xlsx(
        {"الرواتب": [["قائمة عناصر مكتب دير الزور"], [], c.ROSTER_HEADER, *c.ROSTER]},
        creator="samir",
        created=datetime(2019, 1, 5, tzinfo=UTC),
        modified=datetime(2019, 3, 1, tzinfo=UTC),
    )
    payments_csv = t.make_csv([c.PAYMENTS_HEADER, *c.PAYMENTS], encoding="cp1256")
    report_pdf = d.make_pdf(
        c.REPORT_EN,
        author="Samir Abdullah",
        title="Quarterly report",
        creator="Microsoft Word",
        producer="Microsoft: Print To PDF",
    )
    memo_pdf = d.make_pdf(c.MEMO_AR, author="أبو يوسف", title="تقرير المستودع")
    mails = [
        e.make_eml(
            m["sender"], m["to"], m["subject"], m["body"], date=m["date"].replace(tzinfo=UTC)
        )
        for m in c.EMAILS
    ]
    with_attachment = e.make_eml(
        c.EMAILS[0]["sender"],
        c.EMAILS[0]["to"],
        c.EMAILS[0]["subject"],
        c.EMAILS[0]["body"],
        date=c.EMAILS[0]["date"].replace(tzinfo=UTC),
        attachments=[("transfer-request.docx", letter_en), ("payments.csv", payments_csv)],
    )
    ledger = t.make_xlsx(
        {
            "Ledger": [
                ["Date", "Payee", "Amount", "Currency"],
                *[[p[0], p[1], int(p[2]), p[3]] for p in c.PAYMENTS],
            ]
        }
    )
    inner = _zip({"ledger.xlsx": ledger, "notes.txt": b"payroll notes, March 2019\n"})
    return {
        "letters/transfer-request-ar.docx": lambda: letter_ar,
        "letters/transfer-request-en.docx": lambda: letter_en,
        "letters/warehouse-memo-ar.pdf": lambda: memo_pdf,
        "letters/circular.rtf": lambda: d.make_rtf(
            [
                "تعميم إلى جميع المكاتب",
                "Circular to all offices: submit payroll lists by the 25th.",
            ],
            title="Circular",
            author="bureau",
        ),
        "letters/instructions.odt": lambda: d.make_odt(
            ["Instructions for the payroll clerks of the Raqqa office.", "تعليمات لكتبة الرواتب"],
            {"title": "Instructions", "creator": "Samir Abdullah"},
        ),
        "reports/quarterly-report.pdf": lambda: report_pdf,
        "reports/briefing.pptx": lambda: d.make_pptx(
            [
                ["Finance bureau briefing", "Payroll by office"],
                ["Deir ez-Zor: 1,500 USD", "Mayadin: 900 USD"],
            ],
            title="Briefing",
        ),
        "reports/page.html": lambda: d.make_html(
            "مكتب الرقة",
            ["صفحة المكتب", "Office page of the Raqqa bureau"],
            script="document.title='x'",
        ),
        "rosters/roster-1440.xlsx": lambda: roster,
        "rosters/payments-2019.csv": lambda: payments_csv,
        "mail/transfer-request.eml": lambda: with_attachment,
        "mail/inbox.mbox": lambda: e.make_mbox(mails),
        "mail/receipt.msg": lambda: e.make_msg(
            "hassan.j@example.org",
            "nuaimi.office@example.org",
            "استلام المبلغ",
            c.EMAILS[2]["body"],
            sender_name="Hassan Ibrahim al-Jubouri",
            date=c.EMAILS[2]["date"].replace(tzinfo=UTC),
            attachments=[("receipt.txt", b"receipt for 1500 USD\n")],
        ),
        "archives/backup.zip": lambda: _zip(
            {"2019/march.zip": inner, "2019/report-copy.pdf": report_pdf}
        ),
        "archives/old-letters.tar.gz": lambda: _tar_gz(
            {"old/letter-ar.docx": letter_ar, "old/readme.txt": b"old letters\n"}
        ),
        "damaged/truncated-report.pdf": lambda: h.truncated(report_pdf, 0.4),
        "damaged/broken-letter.docx": lambda: h.truncated(letter_ar, 0.6),
        "damaged/photo-of-report.jpg": lambda: report_pdf,  # a PDF wearing an image's name
        "damaged/empty.txt": lambda: b"",
        "damaged/zip-slip.zip": h.zip_slip,
        "damaged/bomb.zip": h.zip_bomb,
    }


def generate(out: Path) -> list[Path]:
    """Write the sample cache under ``out``; returns the files written."""
    written = []
    for rel, make in _files().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        written.append(path)
    return written
