"""Alias links: precision and recall on a generated cache, through the real pipeline.

People write under a kunya with a laqab ("أبو دجانة الشامي", "Abu Dujana al-Shami") and
are paid and listed under their real names. The evidence for each person is drawn at
random — a roster row with a kunya column, a "known as" phrase in a report, e-mails sent
under the alias and signed with the real name, a phone number written beside each name —
and the traps are planted: look-alike kunyas (same kunya, other laqab), an office phone
listed for many people, a secretary signing one e-mail for someone else, bare common
kunyas in the kunya column. The cache is ingested with ``docket ingest`` and the links
read from ``alias_links``.

    .venv/bin/python bench/aliases.py [--people 40] [--split dev|test|both]

Figures: precision and recall of *confirmed* links (those that join two names) and of
*all* links (confirmed and possible), per split. The test split draws other people from
other seeds and is never used for tuning the weights or the threshold.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

from docket.resolve.aliases import name_key

ISM = [("محمد", "Mohammed"), ("أحمد", "Ahmed"), ("خالد", "Khalid"), ("عمر", "Omar"),
       ("ياسر", "Yasser"), ("سمير", "Samir"), ("طارق", "Tariq"), ("وليد", "Walid"),
       ("فاروق", "Farouk"), ("جمال", "Jamal"), ("عادل", "Adel"), ("رشيد", "Rashid"),
       ("مازن", "Mazen"), ("نبيل", "Nabil"), ("هشام", "Hisham"), ("زياد", "Ziad")]  # fmt: skip
FATHER = [("إبراهيم", "Ibrahim"), ("سليمان", "Suleiman"), ("يوسف", "Yusuf"), ("حسين", "Hussein"),
          ("منصور", "Mansour"), ("ناصر", "Nasser"), ("سالم", "Salem"), ("كريم", "Karim")]  # fmt: skip
FAMILY = [("الجبوري", "al-Jubouri"), ("الدليمي", "al-Dulaimi"), ("العبيدي", "al-Obeidi"),
          ("الراوي", "al-Rawi"), ("الشمري", "al-Shammari"), ("الكبيسي", "al-Kubaisi"),
          ("الزعبي", "al-Zoubi"), ("الحمداني", "al-Hamdani"), ("التكريتي", "al-Tikriti"),
          ("العاني", "al-Ani"), ("الحلبي", "al-Halabi"), ("الورفلي", "al-Warfalli")]  # fmt: skip
KUNYA = [("دجانة", "Dujana"), ("حفص", "Hafs"), ("مصعب", "Musab"), ("قتادة", "Qatada"),
         ("طلحة", "Talha"), ("صهيب", "Suhaib"), ("أنس", "Anas"), ("معاذ", "Muadh"),
         ("البراء", "al-Baraa"), ("سياف", "Sayyaf")]  # fmt: skip
LAQAB = [("الشامي", "al-Shami"), ("العراقي", "al-Iraqi"), ("المصري", "al-Masri"),
         ("الليبي", "al-Libi"), ("التونسي", "al-Tunisi"), ("الأنصاري", "al-Ansari"),
         ("المهاجر", "al-Muhajir"), ("الموصلي", "al-Mosuli"), ("الديري", "al-Deiri")]  # fmt: skip
COMMON = [("أبو علي", "Abu Ali"), ("أبو محمد", "Abu Muhammad"), ("أبو عمر", "Abu Omar")]
SPLITS = {"dev": (11, 12), "test": (101, 102)}  # seeds: never tune on the test ones


class Person:
    def __init__(self, n: int, rng: random.Random, taken: set[tuple[str, str]]) -> None:
        self.n = n
        self.ar = rng.random() < 0.5
        col = 0 if self.ar else 1
        while True:
            ism, father, family = rng.choice(ISM), rng.choice(FATHER), rng.choice(FAMILY)
            kunya, laqab = rng.choice(KUNYA), rng.choice(LAQAB)
            real = f"{ism[col]} {father[col]} {family[col]}"
            alias = f"أبو {kunya[0]} {laqab[0]}" if self.ar else f"Abu {kunya[1]} {laqab[1]}"
            keys = (name_key(real), name_key(alias))
            marks = {("r", keys[0]), ("a", keys[1])}
            if not marks & taken:
                taken.update(marks)
                break
        self.real, self.alias = real, alias
        self.phone = f"+9639{rng.randint(30, 99)}{rng.randint(100000, 999999)}"
        self.address = f"p{n}.{rng.randint(1000, 9999)}@example.org"
        r = rng.random
        self.roster, self.phrase = r() < 0.45, r() < 0.3
        self.mails = rng.choice((0, 0, 1, 2, 3))
        self.shares_phone = r() < 0.3
        self.common = rng.choice(COMMON)[col] if r() < 0.15 else None  # a trap


def generate(root: Path, people: int, seeds: tuple[int, int]) -> list[Person]:
    rng = random.Random(seeds[0])
    taken: set[tuple[str, str]] = set()
    crowd = [Person(n, rng, taken) for n in range(people)]
    rng = random.Random(seeds[1])
    root.mkdir(parents=True)
    office = "+963944000111"  # listed for everyone on a roster: a shared line, no evidence
    for lang, ar in (("ar", True), ("en", False)):
        group = [p for p in crowd if p.ar == ar]
        head = "الاسم الكامل,الكنية,الهاتف,المبلغ" if ar else "Full name,Known as,Phone,Amount"
        rows = [head]
        for p in group:
            kunya = p.alias if p.roster else (p.common or "")
            phone = p.phone if p.shares_phone else office
            rows.append(f"{p.real},{kunya},{phone},{rng.randint(1, 9) * 50}")
        (root / f"roster-{lang}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        report = ["تقرير القاطع" if ar else "Sector report", ""]
        for p in group:
            if p.phrase:
                report.append(f"{p.real} المكنى ب{p.alias} استلم الذخيرة." if ar
                              else f"{p.real}, known as {p.alias}, received the ammunition.")  # fmt: skip
            if p.shares_phone:
                report.append(f"للتواصل مع {p.alias} على الرقم {p.phone} قبل الظهر." if ar
                              else f"Contact {p.alias} on {p.phone} before noon.")  # fmt: skip
        (root / f"report-{lang}.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    for p in crowd:
        to = crowd[(p.n + 1) % len(crowd)]
        (root / f"letter-{p.n}.txt").write_text(
            (f"من: {p.alias}\nإلى: {to.alias}\nالموضوع: طلب\n\nنرجو الإسراع في التنفيذ.\n" if p.ar
             else f"From: {p.alias}\nTo: {to.alias}\nSubject: Request\n\nPlease hurry.\n"),
            encoding="utf-8",
        )  # fmt: skip
        (root / f"pay-{p.n}.csv").write_text(
            f"Name,Amount,Date\n{p.real},{rng.randint(1, 9) * 100},2019-0{rng.randint(1, 9)}-01\n",
            encoding="utf-8",
        )
        signers = [p.real] * p.mails
        if rng.random() < 0.1:  # a secretary signs one for someone else: not an alias
            signers.append(crowd[(p.n + 7) % len(crowd)].real)
        for k, signer in enumerate(signers):
            msg = EmailMessage(policy=policy.SMTP)
            msg["From"] = f"{p.alias} <{p.address}>"
            msg["To"] = "Office <office@example.org>"
            msg["Subject"] = f"Note {k}"
            msg.set_content(f"The list is ready.\n\nRegards,\n{signer}\n")
            (root / f"mail-{p.n}-{k}.eml").write_bytes(msg.as_bytes())
    return crowd


def evaluate(case: Path, crowd: list[Person], show: bool = False) -> dict[str, float]:
    owner: dict[str, int] = {}
    for p in crowd:
        owner[name_key(p.real)] = p.n
        owner[name_key(p.alias)] = p.n
    db = sqlite3.connect(case / "case.db")
    links = db.execute("SELECT name, alias, status, name_entity, alias_entity FROM alias_links")
    truth = {p.n for p in crowd if p.roster or p.phrase or p.mails or p.shares_phone}
    found = {"confirmed": set(), "all": set()}  # person numbers correctly linked
    wrong = {"confirmed": 0, "all": 0}
    joined = 0
    for name, alias, status, ne, ae in links:
        a, b = owner.get(name_key(name)), owner.get(name_key(alias))
        right = a is not None and a == b
        for level in ("confirmed", "all"):
            if level == "all" or status == "confirmed":
                if right:
                    found[level].add(a)
                else:
                    wrong[level] += 1
                    if show and level == "all":
                        print(f"  wrong ({status}): {name} = {alias}")
        joined += int(right and status == "confirmed" and ne is not None and ne == ae)
    if show:
        for p in crowd:
            if p.n in truth - found["all"]:
                ev = f"roster={p.roster} phrase={p.phrase} mails={p.mails} phone={p.shares_phone}"
                print(f"  missed: {p.real} = {p.alias} ({ev})")
    out: dict[str, float] = {"people": len(crowd), "with evidence": len(truth)}
    for level in ("confirmed", "all"):
        tp = len(found[level] & truth)
        out[f"{level}: links"] = tp + wrong[level]
        out[f"{level}: precision"] = tp / max(1, tp + wrong[level])
        out[f"{level}: recall"] = tp / max(1, len(truth))
    out["joined into one entity"] = joined
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=40)
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--show", action="store_true", help="Print wrong links and missed people.")
    args = ap.parse_args()
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    for split in splits:
        with tempfile.TemporaryDirectory() as tmp:
            crowd = generate(Path(tmp) / "cache", args.people, SPLITS[split])
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "docket", "ingest", str(Path(tmp) / "cache"),
                            "--jobs", "2", "--case", str(Path(tmp) / "case")],
                           check=True, capture_output=True)  # fmt: skip
            took = time.perf_counter() - t0
            figures = evaluate(Path(tmp) / "case", crowd, args.show)
        print(f"{split}: ingest {took:.0f} s")
        for k, v in figures.items():
            print(f"  {k:<24} {v:.3f}" if isinstance(v, float) else f"  {k:<24} {v}")


if __name__ == "__main__":
    main()
