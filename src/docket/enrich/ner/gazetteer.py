"""The shipped gazetteers (data/places.tsv, data/orgs.tsv), matched in Arabic and Latin
text. A match's value is the canonical English name, so "الرقة" and "Raqqa" land on the
same value for the resolver and the ``place:`` search facet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from docket.enrich.ner.lexicon import read_tsv
from docket.text.names.lexicon import norm
from docket.text.names.tokens import Token, strip_clitic

MAX_WORDS = 6


@dataclass(frozen=True, slots=True)
class Entry:
    name: str  # canonical (English)
    kind: str  # place | org
    type: str  # country | governorate | town | region | org
    country: str


@dataclass(slots=True)
class Match:
    entry: Entry
    start: int  # character offsets
    end: int
    first: int  # token indices [first, last) for Arabic matches; -1 for Latin
    last: int


@cache
def _tables() -> tuple[dict[tuple[str, ...], Entry], re.Pattern[str], dict[str, Entry]]:
    arabic: dict[tuple[str, ...], Entry] = {}
    latin: dict[str, Entry] = {}
    rows = [(r, "place") for r in read_tsv("places.tsv")]
    rows += [({**r, "type": "org", "country": ""}, "org") for r in read_tsv("orgs.tsv")]
    for row, kind in rows:
        entry = Entry(row["name"], kind, row["type"], row["country"])
        for form in filter(None, row["arabic"].split(";")):
            arabic.setdefault(tuple(norm(w) for w in form.split()), entry)
        for form in [row["name"], *filter(None, row["latin"].split(";"))]:
            # Short forms that are English words ("Hit", "Ana") match only as acronyms.
            if len(form) > 3 or form.isupper():
                latin.setdefault(form, entry)
    alternation = "|".join(re.escape(f) for f in sorted(latin, key=len, reverse=True))
    # Without the look-behind (?<![\w-]) the match starts with one of the forms' first
    # letters, which the regex engine skips to; latin_matches checks what stands before.
    pattern = re.compile(rf"(?:{alternation})(?![\w-])")
    return arabic, pattern, latin


def arabic_matches(tokens: list[Token]) -> Iterator[Match]:
    """Longest gazetteer matches over Arabic tokens, left to right, not overlapping."""
    table = _tables()[0]
    i = 0
    while i < len(tokens):
        found = None
        for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
            if any(not tokens[k].joined for k in range(i + 1, i + n)):
                continue
            words = [t.norm for t in tokens[i : i + n]]
            entry = table.get(tuple(words))
            clitic = 0
            if entry is None and (bare := strip_clitic(words[0])) is not None:
                entry = table.get((bare, *words[1:]))
                clitic = 1
            if entry is not None:
                found = Match(entry, tokens[i].start + clitic, tokens[i + n - 1].end, i, i + n)
                break
        if found is not None:
            yield found
            i = found.last
        else:
            i += 1


_WORDISH = re.compile(r"[\w-]")


def latin_matches(text: str) -> Iterator[Match]:
    """Gazetteer forms in Latin text, whole words (no letter, digit, _ or - either side),
    longest first at each place, left to right, not overlapping."""
    _, pattern, latin = _tables()
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        if start and _WORDISH.match(text, start - 1):
            pos = start + 1  # inside a word: as (?<![\w-]) failing there
            continue
        yield Match(latin[m.group()], start, m.end(), -1, -1)
        pos = m.end()
