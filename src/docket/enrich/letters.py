"""Correspondence: who wrote to whom, when, about what.

E-mails carry it in their headers (the extractor's ``from``/``to``/``cc``/``bcc``/
``date``/``subject`` metadata). Letters and memos carry it in a header block near the
top — "From:/To:/Subject:/Date:" or "من:/إلى:/الموضوع:/التاريخ:" — in whatever format
the letter came (text, DOCX, PDF, RTF), so the block is read from the extracted text.
Each sender → recipient pair becomes one ``correspondence`` relation.
"""

from __future__ import annotations

import re
from email.utils import getaddresses
from typing import Any

from docket.enrich.dates import date_value
from docket.model.items import Segment
from docket.model.records import Relation
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.names import lexicon as lx

HEAD_LINES = 40  # a letter's header block sits in its first lines
LABELS: dict[str, tuple[str, ...]] = {
    "from": ("from", "sender", "من", "المرسل", "مرسل", "من قبل", "صادر عن", "الصادر من", "المرسل منه"),
    "to": ("to", "recipient", "إلى", "الى", "المرسل إليه", "المرسل اليه", "إلى السيد", "الى السيد", "إلى الأخ", "السادة"),
    "cc": ("cc", "copy to", "copies to", "نسخة إلى", "نسخة الى", "صورة إلى", "صورة الى", "نسخة منه إلى"),
    "subject": ("subject", "re", "الموضوع", "موضوع", "بخصوص"),
    "date": ("date", "dated", "التاريخ", "تاريخ", "بتاريخ"),
}  # fmt: skip
_LABEL = {lx.norm(w): key for key, words in LABELS.items() for w in words}
_LINE = re.compile(r"^\s*(?P<label>[^\n:：]{1,24}?)\s*[:：]\s*(?P<value>\S.*?)\s*$")


def _email_party(raw: str) -> tuple[str, dict[str, str]]:
    name, addr = getaddresses([raw])[0] if "@" in raw else (raw, "")
    name = name.strip() or addr
    attrs = {"name": name, "address": addr.lower()} if addr else {"name": name}
    return (name or raw.strip()), attrs


_TOP_COMMA = re.compile(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")  # a comma outside quotes


def _addresses(value: Any) -> list[str]:
    out: list[str] = []
    for v in value if isinstance(value, list) else [value] if value else []:
        v = str(v)
        if "@" in v:
            out += [f"{n} <{a}>" if n else a for n, a in getaddresses([v]) if a or n]
        else:  # names without addresses ("Abu Ammar al-Nuaimi"): getaddresses mangles them
            out += [p.strip().strip('"').strip() for p in _TOP_COMMA.split(v) if p.strip()]
    return out


def email_relations(meta: dict[str, Any]) -> list[Relation]:
    """Sender → each recipient (to, cc, bcc) of an e-mail, from its header metadata."""
    sender = _addresses(meta.get("from"))
    if not sender:
        return []
    source, s_attrs = _email_party(sender[0])
    date = date_value(str(meta.get("date") or "")) if meta.get("date") else None
    out = []
    for role in ("to", "cc", "bcc"):
        for raw in _addresses(meta.get(role)):
            target, t_attrs = _email_party(raw)
            attrs: dict[str, Any] = {"role": role, "subject": meta.get("subject") or None}
            attrs.update({f"source_{k}": v for k, v in s_attrs.items()})
            attrs.update({f"target_{k}": v for k, v in t_attrs.items()})
            out.append(_relation(source, target, date, attrs, "rule:email-headers"))
    return out


def header_block(lines: list[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """The labelled fields of a letter's header block: key → (segment, value)."""
    found: dict[str, tuple[int, str]] = {}
    for seg, line in lines[:HEAD_LINES]:
        m = _LINE.match(line)
        if not m:
            continue
        key = _LABEL.get(lx.norm(" ".join(m["label"].split())))
        if key and key not in found:
            found[key] = (seg, m["value"])
    return found


def letter_relations(segments: list[Segment]) -> list[Relation]:
    """Sender → recipient(s) of a letter whose header names both."""
    lines = [(n, line) for n, s in enumerate(segments) for line in s.text.splitlines()]
    block = header_block(lines)
    if "from" not in block or "to" not in block:
        return []  # one labelled line is not a letter's header
    date = date_value(block["date"][1]) if "date" in block else None
    attrs: dict[str, Any] = {"segment": block["from"][0]}
    if "subject" in block:
        attrs["subject"] = block["subject"][1]
    if "date" in block:
        attrs["date_written"] = block["date"][1]
    source = block["from"][1]
    out = [_relation(source, block["to"][1], date, {**attrs, "role": "to"}, "rule:letter-header")]
    if "cc" in block:
        out.append(_relation(source, block["cc"][1], date, {**attrs, "role": "cc"}, "rule:letter-header"))  # fmt: skip
    return out


def _relation(source: str, target: str, date: str | None, attrs: dict[str, Any], method: str) -> Relation:  # fmt: skip
    return {
        "kind": "correspondence",
        "source": source,
        "target": target,
        "date": date,
        "attrs": {k: v for k, v in attrs.items() if v not in (None, "")},
        "method": method,
    }


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: correspondence relations of an e-mail or a letter."""
    if result.metadata.get("from"):
        result.relations.extend(email_relations(result.metadata))
    elif result.segments:
        result.relations.extend(letter_relations(result.segments))
