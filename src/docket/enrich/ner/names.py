"""Arabic personal names, taken apart: title (الشيخ), kunya (أبو عمار), ism (حسن), nasab
(the father's and grandfather's names, with or without بن), nisba (الجبوري).

The parts are what the resolver matches on, in both scripts: ``parse_chain`` reads them
from Arabic tokens, ``latin_parts`` from a romanised name ("Abu Ammar al-Nuaimi").
Every part is a string as written; ``nasab`` joins the ancestors' names without the
linking بن/bin, so "خالد بن وليد" and "Khalid Walid" compare on the same part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docket.enrich.ner import lexicon as lx

# An Arabic word: letters, harakat, tatweel and superscript alef; not digits or
# punctuation (، ؛ ؟ are outside these ranges).
AR_WORD = re.compile(
    r"[\u0621-\u063A\u0641-\u064A\u064B-\u065F\u0670\u0671-\u06D3\u06FA-\u06FF\u0640]+"
)
CLITICS = ("و", "ف", "ب", "ل", "ك")


@dataclass(slots=True)
class Token:
    text: str
    start: int
    end: int
    norm: str
    joined: bool  # only spaces between this token and the previous one


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    prev_end = -1
    for m in AR_WORD.finditer(text):
        gap = text[prev_end : m.start()] if prev_end >= 0 else "x"
        joined = prev_end >= 0 and gap.strip(" \u00a0\u200f\u200e") == ""
        out.append(Token(m.group(), m.start(), m.end(), lx.norm(m.group()), joined))
        prev_end = m.end()
    return out


def is_nisba(word: str) -> bool:
    """Shaped like a nisba (al-...i): "الجبوري", "النعيمى" (folded to ي)."""
    return (
        len(word) >= 5 and word.startswith("ال") and word.endswith("ي") and word not in lx.NOT_NISBA
    )


def strip_clitic(word: str) -> str | None:
    """The word without a leading و/ف/ب/ل/ك ("والشيخ" → "الشيخ"; "للأخ" → "الأخ")."""
    if word.startswith("لل") and len(word) > 3:
        return "ا" + word[1:]
    if len(word) > 3 and word[0] in CLITICS:
        return word[1:]
    return None


@dataclass(slots=True)
class Chain:
    start: int  # token indices [start, end)
    end: int
    parts: dict[str, str] = field(default_factory=dict)
    title: str = ""  # the title as written, before the name
    cue: str = ""  # what made it a name: title, kunya, nasab or given-name


def parse_chain(tokens: list[Token], i: int) -> Chain | None:
    """Read a person's name starting at token i, or None when nothing there is one."""
    title_words: list[str] = []
    j = i
    while j < len(tokens) and (j == i or tokens[j].joined):
        w = tokens[j].norm
        if w in lx.TITLES or (j == i and strip_clitic(w) in lx.TITLES):
            title_words.append(tokens[j].text)
            j += 1
        else:
            break
    name_start = j
    kunya: list[str] = []
    ism = ""
    nasab: list[str] = []
    nisba: list[str] = []
    given = lx.given_names()
    cue = "title" if title_words else ""
    first = True
    while j < len(tokens) and (j == i or tokens[j].joined) and tokens[j].norm not in lx.STOP:
        w = tokens[j].norm
        nxt = tokens[j + 1] if j + 1 < len(tokens) and tokens[j + 1].joined else None
        if w in lx.KUNYA_HEADS and nxt is not None and nxt.norm not in lx.STOP and not kunya:
            take = 2
            if nxt.norm == lx.ABD and j + 2 < len(tokens) and tokens[j + 2].joined:
                take = 3
            kunya = [t.text for t in tokens[j : j + take]]
            cue = cue or "kunya"
            j += take
        elif w in lx.NASAB_LINKS and (ism or kunya) and nxt is not None and nxt.norm not in lx.STOP:
            take = 2
            if nxt.norm == lx.ABD and j + 2 < len(tokens) and tokens[j + 2].joined:
                take = 3
            nasab.append(" ".join(t.text for t in tokens[j + 1 : j + take]))
            cue = cue or "nasab"
            j += take
        elif w == lx.ABD and nxt is not None and nxt.norm in lx.ABD_TAILS:
            compound = f"{tokens[j].text} {nxt.text}"
            if ism or kunya:
                nasab.append(compound)
            else:
                ism = compound
            j += 2
        elif is_nisba(w) and (ism or kunya or title_words):
            nisba.append(tokens[j].text)
            j += 1
        elif w in given and not nisba:
            if ism or kunya:
                nasab.append(tokens[j].text)
            else:
                ism = tokens[j].text
            j += 1
        elif (ism or kunya) and not nisba and nxt is not None and is_nisba(nxt.norm):
            nasab.append(tokens[j].text)  # an unlisted father's name before a nisba
            j += 1
        elif title_words and not (ism or kunya) and first:
            ism = tokens[j].text  # "الشيخ زيدان": a title makes the next word a name
            j += 1
        else:
            break
        first = False
    if j == name_start:
        return None
    parts: dict[str, str] = {}
    if kunya:
        parts["kunya"] = " ".join(kunya)
    if ism:
        parts["ism"] = ism
    if nasab:
        parts["nasab"] = " ".join(nasab)
    if nisba:
        parts["nisba"] = " ".join(nisba)
    if not cue:
        if not (ism and (nasab or nisba)):
            return None  # a lone given name is too weak to call a person
        cue = "given-name"
    chain = Chain(name_start, j, parts, " ".join(title_words), cue)
    if chain.title:
        chain.parts["title"] = chain.title
    return chain


_LATIN_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F'’]+(?:-[A-Za-z\u00C0-\u024F'’]+)*\.?")


def latin_parts(name: str) -> dict[str, str]:
    """Name parts of a romanised Arabic name: "Sheikh Abu Ammar al-Nuaimi" →
    {"title": "Sheikh", "kunya": "Abu Ammar", "nisba": "al-Nuaimi"}."""
    words = _LATIN_TOKEN.findall(name)
    parts: dict[str, list[str]] = {}
    i = 0
    while i < len(words) and words[i].lower().rstrip(".") in lx.TITLES_EN:
        parts.setdefault("title", []).append(words[i])
        i += 1
    rest: list[str] = []
    while i < len(words):
        w = words[i]
        low = w.lower()
        if low in lx.KUNYA_EN and i + 1 < len(words) and "kunya" not in parts:
            take = 3 if words[i + 1].lower() in ("abd", "abdul") and i + 2 < len(words) else 2
            parts["kunya"] = words[i : i + take]
            i += take
        elif low in lx.NASAB_EN and i + 1 < len(words):
            parts.setdefault("nasab", []).extend(words[i + 1 : i + 2])
            i += 2
        elif low.split("-", 1)[0] in lx.ARTICLES_EN and "-" in w:
            parts.setdefault("nisba", []).append(w)
            i += 1
        elif low in lx.ARTICLES_EN and i + 1 < len(words):
            parts.setdefault("nisba", []).append(f"{w} {words[i + 1]}")
            i += 2
        else:
            rest.append(w)
            i += 1
    if rest:
        if "kunya" in parts and "nasab" not in parts and len(rest) == 1 and "nisba" not in parts:
            parts["nisba"] = rest  # "Abu Ammar Nuaimi"
        else:
            parts["ism"] = rest[:1]
            if rest[1:]:
                parts.setdefault("nasab", [])[:0] = rest[1:]
    return {k: " ".join(v) for k, v in parts.items() if v}


def arabic_parts(name: str) -> dict[str, str]:
    """Name parts of an Arabic name written on its own (a cell, a letter's From line)."""
    tokens = tokenize(name)
    chain = parse_chain(tokens, 0) if tokens else None
    if chain is None:
        return {"ism": tokens[0].text} if len(tokens) == 1 else {}
    return chain.parts


def name_parts(name: str) -> dict[str, str]:
    """Name parts in whichever script the name is written."""
    return arabic_parts(name) if AR_WORD.search(name) else latin_parts(name)
