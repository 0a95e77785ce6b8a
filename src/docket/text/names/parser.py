"""The one name parser: a personal name split into typed parts (``NameParts``) — titles
(الشيخ, Sheikh), kunya (أبو عمار, Abu Ammar), ism (حسن), nasab (the father's and
grandfather's names, with or without بن / bin) and nisba (الجبوري, al-Jubouri).

Two readers share the lexicon, the part types and the rules:

- ``parse`` reads a name written on its own (a mention's value, a roster cell, a
  watchlist entry), in either script. Every word is part of the name: titles lead, a
  kunya head or a nasab link takes the unit after it, the trailing ``al-`` words are the
  nisba, the first other unit is the ism and the rest the nasab. Without an article, the
  last of three or more plain names, or a lone name after a kunya, is the nisba when it
  reads like one (ends in -i: "Abu Ammar Nuaimi").
- ``read_chain`` finds a name inside running Arabic text, where it must also decide
  where the name starts and stops: it needs a cue (a title, a kunya, a nasab link, a
  listed given name followed by a nasab or nisba) and stops at a function word.

Values are as written; a unit is one word, a word with its article (``al-Nuaimi``) or an
``عبد`` compound (``عبد الرحمن``, ``Abd al-Rahman``). ``folding.unit_key`` gives the
folded Latin key of a unit, for matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docket.text.names import lexicon as lx
from docket.text.names.folding import SPLIT, unit_key
from docket.text.names.tokens import Token, is_nisba, strip_clitic, tokenize
from docket.text.scripts import is_arabic


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name's parts. ``kunya`` entries keep their head (``Abu Ammar``); ``nasab``
    entries leave the link out, so "خالد بن وليد" and "Khalid Walid" compare on the same
    part; ``tokens`` is every name unit in order (no titles, heads or links)."""

    titles: tuple[str, ...] = ()
    kunya: tuple[str, ...] = ()
    ism: str = ""
    nasab: tuple[str, ...] = ()
    nisba: tuple[str, ...] = ()
    script: str = "latin"  # "arabic" when the name is written in Arabic script
    tokens: tuple[str, ...] = ()

    def parts(self) -> list[tuple[str, str]]:
        """(part kind, value) pairs, kunya first."""
        out = [("kunya", k) for k in self.kunya]
        if self.ism:
            out.append(("ism", self.ism))
        return out + [("nasab", n) for n in self.nasab] + [("nisba", n) for n in self.nisba]

    def attrs(self) -> dict[str, str]:
        """The parts as a mention's attributes: {"title", "kunya", "ism", "nasab",
        "nisba"}, each part's values joined by a space, empty parts left out."""
        out = {
            "kunya": " ".join(self.kunya),
            "ism": self.ism,
            "nasab": " ".join(self.nasab),
            "nisba": " ".join(self.nisba),
            "title": " ".join(self.titles),
        }
        return {k: v for k, v in out.items() if v}


def kunya_name(kunya: str) -> str:
    """A kunya without its head: "أبو عمار" → "عمار", "Abul-Walid" → "Walid"."""
    words = kunya.split(None, 1)
    head = lx.norm(SPLIT.split(kunya, maxsplit=1)[0])
    if head in lx.KUNYA_HEADS_WITH_ARTICLE:
        return SPLIT.split(kunya, maxsplit=1)[1] if SPLIT.search(kunya) else ""
    return words[1] if len(words) > 1 else ""


# -- a name written on its own -------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    kind: str  # title, kunya (a head), nasab (a link), article (al-X) or word
    start: int  # offsets into the name as written
    end: int


_LATIN_PIECE = re.compile(r"[^\s\-‐–—_/,.;:()\[\]\"“”«»]+")
_APOS = re.compile(r"['’‘`ʿʾ]")


def _latin_units(name: str) -> list[_Unit]:
    pieces = [
        (m.start(), m.end(), _APOS.sub("", m.group()).lower())
        for m in _LATIN_PIECE.finditer(name)
        if _APOS.sub("", m.group())
    ]
    out: list[_Unit] = []
    article: int | None = None  # where a pending article starts
    leading = True
    i = 0
    while i < len(pieces):
        start, end, low = pieces[i]
        nxt = pieces[i + 1][2] if i + 1 < len(pieces) else None
        if leading and lx.is_title(low, on_its_own=True):
            out.append(_Unit("title", start, end))
        elif leading and low in lx.ARTICLES and nxt and lx.is_title(nxt, on_its_own=True):
            out.append(_Unit("title", start, pieces[i + 1][1]))  # al-Akh
            i += 1
        elif low in lx.KUNYA_HEADS:
            out.append(_Unit("kunya", start, end))
        elif low in lx.KUNYA_HEADS_WITH_ARTICLE:
            out.append(_Unit("kunya", start, end))  # Abul-Walid = Abu al-Walid
            article = pieces[i + 1][0] if nxt else None
        elif low in lx.NASAB_LINKS and nxt:
            out.append(_Unit("nasab", start, end))
        elif low in lx.ARTICLES and nxt:
            article = start if article is None else article
        elif low.startswith("abd") and len(low) <= 5 and nxt:
            j = i + 2 if nxt in lx.ARTICLES and i + 2 < len(pieces) else i + 1
            kind = "word" if article is None else "article"
            out.append(_Unit(kind, start if article is None else article, pieces[j][1]))
            article = None
            i = j
        else:
            kind = "word" if article is None else "article"
            out.append(_Unit(kind, start if article is None else article, end))
            article = None
        leading = leading and out[-1].kind == "title" if out else leading
        i += 1
    return [u for u in out if u.kind in ("kunya", "nasab", "title") or _key(name, u, False)]


def _arabic_units(name: str) -> list[_Unit]:
    tokens = tokenize(name)
    out: list[_Unit] = []
    leading = True
    i = 0
    while i < len(tokens):
        t = tokens[i]
        w = t.norm
        if leading and lx.is_title(w, on_its_own=True):
            out.append(_Unit("title", t.start, t.end))
            i += 1
            continue
        leading = False
        if w in lx.KUNYA_HEADS:
            out.append(_Unit("kunya", t.start, t.end))
        elif w in lx.NASAB_LINKS:
            out.append(_Unit("nasab", t.start, t.end))
        elif w == lx.ABD and i + 1 < len(tokens):
            out.append(_Unit("word", t.start, tokens[i + 1].end))  # عبد الرحمن
            i += 1
        elif w.startswith("ال") and len(w) > 3 and not w.startswith(lx.ABD):
            out.append(_Unit("article", t.start, t.end))
        else:
            out.append(_Unit("word", t.start, t.end))
        i += 1
    return out


def _key(name: str, u: _Unit, arabic: bool) -> str:
    return unit_key(name[u.start : u.end], arabic)


def parse(name: str) -> NameParts:
    """The parts of a personal name written on its own, in Arabic or Latin script."""
    arabic = is_arabic(name)
    units = _arabic_units(name) if arabic else _latin_units(name)
    titles = tuple(name[u.start : u.end] for u in units if u.kind == "title")
    rest = [u for u in units if u.kind != "title"]
    kunya: list[str] = []
    nasab: list[str] = []
    plain: list[_Unit] = []  # units no head or link took
    names: list[str] = []
    i = 0
    while i < len(rest):
        u = rest[i]
        if u.kind in ("kunya", "nasab") and i + 1 < len(rest):
            took = rest[i + 1]
            if u.kind == "kunya":
                kunya.append(name[u.start : took.end])
            else:
                nasab.append(name[took.start : took.end])
            names.append(name[took.start : took.end])
            i += 2
            continue
        if u.kind not in ("kunya", "nasab"):
            plain.append(u)
            names.append(name[u.start : u.end])
        i += 1
    nisba: list[str] = []
    while plain and plain[-1].kind == "article":
        nisba.insert(0, name[plain[-1].start : plain[-1].end])
        plain.pop()
    if (
        not nisba
        and (len(plain) >= 3 or (kunya and not nasab and len(plain) == 1))
        and _key(name, plain[-1], arabic).endswith("i")
    ):
        u = plain.pop()
        nisba.append(name[u.start : u.end])
    return NameParts(
        titles=titles,
        kunya=tuple(kunya),
        ism=name[plain[0].start : plain[0].end] if plain else "",
        nasab=tuple(nasab + [name[u.start : u.end] for u in plain[1:]]),
        nisba=tuple(nisba),
        script="arabic" if arabic else "latin",
        tokens=tuple(names),
    )


# -- a name inside running Arabic text -----------------------------------------------------


@dataclass(slots=True)
class Chain:
    start: int  # token indices [start, end)
    end: int
    parts: NameParts
    cue: str  # what made it a name: title, kunya, nasab or given-name


def read_chain(tokens: list[Token], i: int) -> Chain | None:
    """Read a person's name starting at token ``i`` of running Arabic text, or None when
    nothing there is one."""
    title_words: list[str] = []
    j = i
    while j < len(tokens) and (j == i or tokens[j].joined):
        w = tokens[j].norm
        if lx.is_title(w) or (j == i and lx.is_title(strip_clitic(w) or "")):
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
            if ism:
                nasab.append(compound)
            else:
                ism = compound  # after a kunya too: "أبو عمار عبد الله …"
            j += 2
        elif is_nisba(w) and (ism or kunya or title_words):
            nisba.append(tokens[j].text)
            j += 1
        elif w in given and not nisba:
            if ism:
                nasab.append(tokens[j].text)
            else:
                ism = tokens[j].text
            j += 1
        elif (ism or kunya) and not nisba and nxt is not None and is_nisba(nxt.norm):
            if ism:
                nasab.append(tokens[j].text)  # an unlisted father's name before a nisba
            else:
                ism = tokens[j].text  # an unlisted name after a kunya
            j += 1
        elif title_words and not (ism or kunya) and first:
            ism = tokens[j].text  # "الشيخ زيدان": a title makes the next word a name
            j += 1
        else:
            break
        first = False
    if j == name_start:
        return None
    if not cue:
        if not (ism and (nasab or nisba)):
            return None  # a lone given name is too weak to call a person
        cue = "given-name"
    kunya_text = " ".join(kunya)
    parts = NameParts(
        titles=(" ".join(title_words),) if title_words else (),
        kunya=(kunya_text,) if kunya else (),
        ism=ism,
        nasab=tuple(nasab),
        nisba=tuple(nisba),
        script="arabic",
        tokens=tuple(v for v in (kunya_name(kunya_text), ism, *nasab, *nisba) if v),
    )
    return Chain(name_start, j, parts, cue)


def read_name(name: str) -> NameParts | None:
    """``read_chain`` over an Arabic name written on its own (a cell, a From line): its
    parts when the strict running-text rules find a name there, else None."""
    tokens = tokenize(name)
    chain = read_chain(tokens, 0) if tokens else None
    return chain.parts if chain else None
