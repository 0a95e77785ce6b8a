"""Tables to records: the rows of spreadsheets and CSVs (one segment per row, cells
joined by " | ") become person and payment records linked to their sheet and row.

Rosters and payment lists rarely start at A1: a title, a blank line or a two-row header
with merged cells come first. So the header is the best-scoring row among the first
rows (cells that read as known header words, in Arabic or English, and data below it);
a second header row under it (the sub-headers of a merged cell) is folded in. Columns
are typed by their header, else by their values: person name, kunya, date, amount,
currency, phone, identifier, free text.

A row with a name becomes a ``person`` record (typed columns as its attributes); one with
a name or kunya and an amount also becomes a ``payment`` (payee, amount, currency,
date); other rows under a header are kept as ``row`` records. Every record keeps all
its cells under ``columns``, by header.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from docket.enrich.dates import date_value
from docket.enrich.patterns import amount_text, currency_code, number, phone_value, scan
from docket.model.records import Record, RecordKind
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.names import lexicon as lx
from docket.text.names.parser import parse, read_name
from docket.text.scripts import AR_WORD

SEP = " | "  # as docket.extract.tabular.spreadsheet and csv join cells
HEAD_ROWS = 15  # rows searched for the header

# Header words by column type, compared after normalisation. A header that contains one
# of the ``_PART`` words ("تاريخ المباشرة", "Payment date") is typed by it too.
HEADERS: dict[str, frozenset[str]] = {
    "name": lx.word_set("الاسم اسم الأسم الاسم_الكامل الاسم_الثلاثي الاسم_الرباعي المستلم اسم_المستلم المستفيد اسم_المستفيد name full_name payee recipient beneficiary member"),
    "kunya": lx.word_set("الكنية كنية اللقب الكنيه لقب الاسم_الحركي اسم_الشهرة الشهرة المعروف_ب المعروف_باسم kunya kunyah alias aliases nickname nick_name nom_de_guerre known_as aka a.k.a. laqab"),
    "date": lx.word_set("التاريخ تاريخ date"),
    "amount": lx.word_set("المبلغ مبلغ الراتب راتب القيمة المكافأة المكافاة amount salary sum value paid total payment"),
    "currency": lx.word_set("العملة عملة currency cur"),
    "email": lx.word_set("البريد البريد_الإلكتروني البريد_الالكتروني الإيميل الايميل email e-mail"),
    "iban": lx.word_set("الآيبان الايبان رقم_الحساب الحساب_المصرفي iban bank_account account_number"),
    "phone": lx.word_set("الهاتف هاتف رقم_الهاتف الجوال جوال الموبايل موبايل phone mobile tel telephone"),
    "id": lx.word_set("الرقم رقم م ت التسلسل تسلسل الرقم_العسكري رقم_القيد رقم_الهوية الرقم_الوطني id no no. number serial # code"),
}  # fmt: skip
HEADERS = {k: frozenset(w.replace("_", " ") for w in v) for k, v in HEADERS.items()}
_PART = {"date": ("تاريخ", "date"), "amount": ("مبلغ", "راتب", "amount", "salary"), "phone": ("هاتف", "phone", "mobile"), "name": ("اسم", "name")}  # fmt: skip


def cells(text: str) -> list[str]:
    return [c.strip() for c in text.split(SEP)]


def header_type(label: str) -> str | None:
    w = lx.norm(" ".join(label.split()))
    for kind, words in HEADERS.items():
        if w in words or w.removeprefix("ال") in words:
            return kind
    for kind, parts in _PART.items():
        if any(p in w for p in parts):
            return kind
    return None


# The same cell value (a name, a place, a currency) comes back row after row and item after
# item; a pure function of the text, so it is worked out once per process.
@lru_cache(maxsize=65_536)
def value_type(value: str) -> str | None:
    if not value:
        return None
    if currency_code(value):
        return "currency"
    if phone_value(value) and not re.fullmatch(r"\d{4}-\d\d-\d\d.*", value):
        return "phone"
    if date_value(value) and re.search(r"\d", value):
        return "date"
    if number(value) is not None or any(k == "money" for k, *_ in scan(value)):
        return "amount"
    words = value.split()
    if len(words) > 1 and lx.norm(words[0]) in lx.KUNYA_HEADS:
        return "kunya"
    if (
        AR_WORD.search(value)
        and (p := read_name(value))
        and (p.kunya or p.nasab or p.nisba or p.titles)
    ):
        return "name"
    return "text"


def _score(row: list[str], below: list[list[str]]) -> float:
    filled = [c for c in row if c]
    if len(filled) < 2:
        return 0.0  # a title or a note, not a header
    known = sum(1 for c in filled if header_type(c))
    texty = sum(1 for c in filled if value_type(c) in ("text", "name", "kunya"))
    data = sum(1 for r in below for c in r if value_type(c) in ("amount", "date", "currency"))
    return 2 * known + 0.5 * texty + min(data, 3) * 0.5 - 2 * (len(filled) - texty - known)


def _fold(top: list[str], bottom: list[str]) -> list[str]:
    """Two header rows as one: the top row's merged cells span the blanks to their right."""
    out, group = [], ""
    for i in range(max(len(top), len(bottom))):
        t = top[i] if i < len(top) else ""
        b = bottom[i] if i < len(bottom) else ""
        group = t or (group if b else "")
        out.append(f"{group} / {b}" if group and b and group != b else (b or group))
    return out


def _types(header: list[str], data: list[list[str]]) -> list[str]:
    out = []
    for i, label in enumerate(header):
        kind = header_type(label.rsplit(" / ", 1)[-1]) or header_type(label) if label else None
        if kind is None:
            votes: dict[str, int] = {}
            for row in data[:50]:
                if i < len(row) and (v := value_type(row[i])):
                    votes[v] = votes.get(v, 0) + 1
            kind = max(votes, key=votes.__getitem__) if votes else "text"
            if kind == "amount" and all(
                len(r[i]) >= 6 and r[i].isdigit() for r in data[:50] if i < len(r) and r[i]
            ):
                kind = "id"  # long bare digit strings: numbers on a list, not sums
        out.append(kind)
    return out


def table_records(sheet: str | None, rows: list[tuple[int, list[str]]]) -> list[Record]:
    """Records from one sheet's rows ``(row number, cells)``."""
    head = rows[:HEAD_ROWS]
    scores = [_score(r, [x for _, x in rows[k + 1 : k + 4]]) for k, (_, r) in enumerate(head)]
    best = max(range(len(head)), key=scores.__getitem__) if head else -1
    if best < 0 or scores[best] < 2:
        return []  # no header: columns cannot be told apart with confidence
    header = head[best][1]
    first = best + 1
    if (
        first < len(rows)
        and _score(rows[first][1], []) >= 2
        and not any(value_type(c) in ("amount", "date") for c in rows[first][1])
    ):
        header, first = _fold(header, rows[first][1]), first + 1
    elif (
        best > 0
        and rows[best - 1][0] == head[best][0] - 1
        and len([c for c in rows[best - 1][1] if c]) >= 2
    ):
        header = _fold(rows[best - 1][1], header)
    header = [h or f"column {i + 1}" for i, h in enumerate(header)]
    data = rows[first:]
    types = _types(header, [r for _, r in data])
    out: list[Record] = []
    for row_no, row in data:
        if row == head[best][1] or not any(row):
            continue
        out.extend(_row_records(sheet, row_no, header, types, row))
    return out


def _row_records(
    sheet: str | None, row_no: int, header: list[str], types: list[str], row: list[str]
) -> list[Record]:
    typed: dict[str, str] = {}
    columns: dict[str, str] = {}
    more_aliases: list[str] = []  # a second alias column ("الكنية" and "الاسم الحركي")
    for i, value in enumerate(row):
        if not value:
            continue
        label = header[i] if i < len(header) else f"column {i + 1}"
        columns[label] = value
        kind = types[i] if i < len(types) else "text"
        if kind == "kunya" and kind in typed:
            more_aliases.append(value)
        if kind in typed or kind == "text":
            continue
        if kind == "date":
            if iso := date_value(value):
                typed["date"] = iso
        elif kind == "amount":
            money = [v for k, _, _, v, _ in scan(value) if k == "money"]
            amount = number(value)
            if money:
                typed["amount"], code = money[0].split()
                typed.setdefault("currency", code)
            elif amount is not None:
                typed["amount"] = amount_text(amount)
            if "amount" in typed:
                typed["amount_column"] = label
        elif kind == "currency":
            typed["currency"] = currency_code(value) or value
        elif kind == "phone":
            found = phone_value(value)
            typed["phone"] = found[0] if found else value
        else:
            typed[kind] = value
    if "amount" in typed and "currency" not in typed:
        for label in header:  # "Amount (USD)", "المبلغ بالدولار"
            for word in re.findall(r"\w+|\$|€", label):
                if unit := currency_code(word.removeprefix("بال")):
                    typed["currency"] = unit

    def record(kind: RecordKind, fields: dict[str, Any]) -> Record:
        return Record(kind=kind, sheet=sheet, row=row_no, method="rule:table", fields=fields)

    out: list[Record] = []
    name = typed.get("name")
    if name:
        fields: dict[str, Any] = {
            k: v for k, v in typed.items() if k not in ("amount", "currency", "amount_column")
        }
        fields["name_parts"] = parse(name).attrs()
        if more_aliases:
            fields["aliases"] = more_aliases
        out.append(record("person", {**fields, "columns": columns}))
    payee = name or typed.get("kunya")
    if payee and "amount" in typed:
        pay: dict[str, str | None] = {
            "payee": payee,
            "amount": typed["amount"],
            "currency": typed.get("currency"),
            "date": typed.get("date"),
        }
        if "amount_column" in typed:
            pay["amount_column"] = typed["amount_column"]
        out.append(record("payment", {**{k: v for k, v in pay.items() if v}, "columns": columns}))
    if not out:
        out.append(record("row", {**typed, "columns": columns}))
    return out


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: records from the rows of every sheet (or the CSV) of an item."""
    sheets: dict[str | None, list[tuple[int, list[str]]]] = {}
    for seg in result.segments:
        if seg.row is not None and seg.part is None:
            sheets.setdefault(seg.sheet, []).append((seg.row, cells(seg.text)))
    for sheet, rows in sheets.items():
        result.records.extend(table_records(sheet, rows))
