"""Arabic named entities by rules written for this project (no Arabic model ships):

- places and well-known organisations from the shipped gazetteers (``gazetteer.py``);
- organisations headed by a cue word: "مكتب الرقة", "ديوان بيت المال", "كتيبة …";
- people: a title (الشيخ، الأخ، والي…), a kunya (أبو/أم + name), an ism followed by a
  nasab (بن/ابن or a listed father's name) or a nisba (الـ…ي). A given name alone is
  not enough: precision first, since every mention becomes evidence.

Person mentions carry the name parts in ``attrs`` (``docket.text.names.parser``); the title is kept there
and left out of the span and the value.
"""

from __future__ import annotations

from docket.enrich.ner import gazetteer
from docket.enrich.ner.lexicon import ORG_CUES
from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.names import lexicon as lx
from docket.text.names.parser import read_chain
from docket.text.names.tokens import Token, strip_clitic, tokenize
from docket.text.scripts import AR_WORD

MAX_ORG_WORDS = 4


def _org_end(tokens: list[Token], i: int, places: dict[int, int]) -> int:
    """Token index past the org name that the cue at token i heads (i itself if none)."""
    j = i + 1
    definite = False
    while j < len(tokens) and j - i <= MAX_ORG_WORDS and tokens[j].joined:
        w = tokens[j].norm
        if w in lx.STOP or w in ORG_CUES or lx.is_title(w):
            break
        if definite and not w.startswith("ال"):
            break  # after a definite noun only its adjectives belong to the name
        if j in places:
            return places[j]  # a place ends the name: "مكتب دير الزور"
        definite = w.startswith("ال")
        j += 1
    return j


def find(text: str, segment: int) -> list[Mention]:
    """Person, organisation and place mentions in one segment of Arabic text."""
    tokens = tokenize(text)
    if not tokens:
        return []
    out: list[Mention] = []
    places: dict[int, int] = {}  # first token -> end token of a gazetteer match
    for m in gazetteer.arabic_matches(tokens):
        places[m.first] = m.last
        attrs = (
            {"type": m.entry.type, "country": m.entry.country} if m.entry.kind == "place" else {}
        )
        out.append(
            Mention(
                m.entry.kind,
                text[m.start : m.end],
                m.entry.name,
                segment,
                m.start,
                m.end,
                "gazetteer",
                {k: v for k, v in attrs.items() if v},
            )
        )
    blocked = {k for first, last in places.items() for k in range(first, last)}
    i = 0
    while i < len(tokens):
        w = tokens[i].norm
        if i in blocked:
            i += 1
            continue
        if w in ORG_CUES or strip_clitic(w) in ORG_CUES:
            end = _org_end(tokens, i, places)
            if end > i + 1:
                start = tokens[i].start + (0 if w in ORG_CUES else 1)
                span = text[start : tokens[end - 1].end]
                out.append(
                    Mention(
                        "org",
                        span,
                        " ".join(span.split()),
                        segment,
                        start,
                        tokens[end - 1].end,
                        "rule:org-cue",
                        {"cue": tokens[i].text},
                    )
                )
                i = end
                continue
        chain = read_chain(tokens, i)
        if chain is not None and not any(k in blocked for k in range(chain.start, chain.end)):
            start, end = tokens[chain.start].start, tokens[chain.end - 1].end
            span = text[start:end]
            out.append(
                Mention(
                    "person",
                    span,
                    " ".join(span.split()),
                    segment,
                    start,
                    end,
                    f"rule:{chain.cue}",
                    chain.parts.attrs(),
                )
            )
            i = chain.end
            continue
        i += 1
    return out


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: Arabic people, organisations and places in every segment with Arabic."""
    for n, seg in enumerate(result.segments):
        if AR_WORD.search(seg.text):
            result.mentions.extend(find(seg.text, n))
