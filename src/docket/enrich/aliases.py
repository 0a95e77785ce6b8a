"""Alias evidence in an item's text, for resolution to weigh (``docket.resolve.aliases``):

- ``alias`` mentions (method ``rule:alias-phrase``): a phrase names someone and gives his
  alias — "محمد الحسن المكنى بأبي عبيدة", "Khalid al-Ali, known as Abu Dujana"
  (``docket.text.names.aliases``); the mention spans the alias, ``attrs`` hold the name,
  its offsets, the cue and the phrase as written.
- ``alias`` mentions (``rule:alias-signature``): an e-mail's or a letter's sender, as its
  header names him, against the name signed at the end of its body, when the two differ.
- ``contact`` mentions (``rule:contact-line``): a phone number, e-mail address or IBAN
  written on the same line as exactly one person's name ("للتواصل مع أبو عبيدة على
  0991234567"), so that two names holding one number can be weighed. Rows of tables are
  left to their records (``enrich.tables``), which keep the phone column beside the name.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

from docket.enrich.letters import header_block
from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.names import aliases as phrases
from docket.text.names import lexicon as lx
from docket.text.names.parser import parse, read_name
from docket.text.scripts import is_arabic

IDENTIFIERS = ("phone", "email", "iban")
SIGN_OFF = re.compile(
    r"^\s*(?:--\s*|(?:best|kind|warm)?\s*regards|yours(?:\s+\w+)?|sincerely|thanks|thank you|"
    r"cheers|salam|wassalam|مع\s+التحية|مع\s+خالص\s+التحية|تحياتي|والسلام(?:\s+عليكم)?.*|"
    r"أخوكم|اخوكم|أخوك|اخوك|المرسل|التوقيع|توقيع)\s*[,،:.]?\s*$",
    re.IGNORECASE,
)
TAIL_LINES = 6  # a signature sits in the last lines of a body
MAX_NAME = 48  # characters: a longer line is a sentence, not a signed name


def phrase_mentions(result: ExtractResult) -> list[Mention]:
    out = []
    for n, seg in enumerate(result.segments):
        if seg.row is not None:
            continue  # a table row: its columns are read by enrich.tables
        for p in phrases.find(seg.text):
            lo, hi = min(p.name_start, p.alias_start), max(p.name_end, p.alias_end)
            attrs = {"evidence": "phrase", "name": p.name, "name_start": p.name_start,
                     "name_end": p.name_end, "cue": p.cue, "quote": seg.text[lo:hi]}  # fmt: skip
            out.append(Mention("alias", p.alias, p.alias, n, p.alias_start, p.alias_end,
                               "rule:alias-phrase", attrs))  # fmt: skip
    return out


def _is_name(text: str, signed: bool = False) -> bool:
    """A line that reads as a personal name on its own (two parts, or a kunya); after a
    sign-off (``signed``), any two to five Arabic words that are not function words."""
    if not text or len(text) > MAX_NAME or any(ch.isdigit() for ch in text) or "@" in text:
        return False
    if is_arabic(text):
        parts = read_name(text)
        if (parts is not None and len(parts.tokens) >= 2) or bool(parts and parts.kunya):
            return True
        words = [lx.norm(w) for w in text.split()]
        return signed and 2 <= len(words) <= 5 and not any(w in lx.STOP for w in words)
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(w[:1].isupper() or lx.norm(w) in lx.ARTICLES
                                           or lx.norm(w.split("-")[0]) in lx.ARTICLES
                                           for w in words):  # fmt: skip
        return False
    p = parse(text)
    return len(p.tokens) >= 2 or bool(p.kunya)


def _sender(result: ExtractResult) -> str | None:
    raw = result.metadata.get("from")
    if raw:
        first = raw[0] if isinstance(raw, list) else raw
        name, _ = getaddresses([str(first)])[0]
        return name.strip().strip('"') or None
    lines = [(n, line) for n, s in enumerate(result.segments) for line in s.text.splitlines()]
    found = header_block(lines)
    if "from" in found and "to" in found:
        return found["from"][1]
    return None


def signature_mentions(result: ExtractResult) -> list[Mention]:
    """The name signed at the end of a letter or e-mail, when it is not its sender's."""
    sender = _sender(result)
    if not sender or not _is_name(sender):
        return []
    n = len(result.segments) - 1
    while n >= 0 and (result.segments[n].row is not None or not result.segments[n].text.strip()):
        n -= 1
    if n < 0:
        return []
    text = result.segments[n].text
    spans = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()][-TAIL_LINES:]
    signed, after_cue = None, False
    for k, m in enumerate(spans):
        if SIGN_OFF.match(m.group()) and k + 1 < len(spans):
            signed, after_cue = spans[k + 1], True
    if signed is None and spans and len(spans) > 1:
        signed = spans[-1]  # a name alone on the last line
    if signed is None:
        return []
    line = signed.group()
    name = line.strip().strip(",،.")
    if not _is_name(name, after_cue) or lx.norm(name) == lx.norm(sender):
        return []
    start = signed.start() + line.index(name)
    attrs = {"evidence": "signature", "name": sender, "cue": "sender / signature",
             "quote": f"{sender} … {name}"}  # fmt: skip
    return [
        Mention("alias", name, name, n, start, start + len(name), "rule:alias-signature", attrs)
    ]


def contact_mentions(result: ExtractResult) -> list[Mention]:
    """An identifier on the same line as exactly one person's name."""
    by_segment: dict[int, list[Mention]] = {}
    for m in result.mentions:
        if m.kind in ("person", *IDENTIFIERS):
            by_segment.setdefault(m.segment, []).append(m)
    out = []
    for n, found in by_segment.items():
        seg = result.segments[n]
        if seg.row is not None:
            continue
        for line in re.finditer(r"[^\n]+", seg.text):
            inside = [m for m in found if line.start() <= m.start and m.end <= line.end()]
            people = {m.text for m in inside if m.kind == "person"}
            if len(people) != 1:
                continue
            person = next(iter(people))
            for m in inside:
                if m.kind in IDENTIFIERS:
                    attrs = {"evidence": "contact", "name": person, "id_kind": m.kind,
                             "quote": line.group().strip()}  # fmt: skip
                    out.append(Mention("contact", m.text, m.value or m.text, n, m.start, m.end,
                                       "rule:contact-line", attrs))  # fmt: skip
    return out


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: alias phrases, sender/signature pairs and names beside an identifier."""
    result.mentions.extend(
        phrase_mentions(result) + signature_mentions(result) + contact_mentions(result)
    )
