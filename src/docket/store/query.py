"""The search syntax, parsed by Docket and turned into tantivy queries.

    words               all must match (AND)
    "a phrase"          words in this order
    a OR b              either
    -word, -"phrase"    must not match
    pref*               words starting with ``pref``
    field:value         filters: type: lang: status: deleted: ext: id: date: duplicate:
                        person: org: place: path:
    ( … )               grouping

Every word goes through the same normaliser as the index, so Arabic spelling variants
match. A word that folds to several tokens (``al-Nuaimi``) becomes a phrase.

A plain word or phrase also looks, with lower boosts, in the ``stem`` field (light stems:
``payments`` finds ``payment``, ``والمعلمون`` finds ``معلم``) and, for names, in the
``xscript`` field (the same name in the other script: ``Nuaimi`` finds ``النعيمي``).
Boosts keep exact matches first: text 1, path 0.5, stem 0.3, cross-script 0.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tantivy

from docket.text.normalize import tokens
from docket.text.stem import stems
from docket.text.xscript import Lookup, name_words, query_plan, word_tokens

STEM_BOOST = 0.3
XSCRIPT_BOOST = 0.1
KEYWORD_FILTERS = {"type", "lang", "status", "deleted", "ext", "id", "date", "duplicate"}
TEXT_FILTERS = {"person", "org", "place", "path", "text"}
FIELDS = KEYWORD_FILTERS | TEXT_FILTERS
# Brackets and negations nest by recursion, here and in every pass over the tree: 5,000
# of them overflowed Python's stack. No real query comes near this.
MAX_DEPTH = 64
_LEX = re.compile(
    r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<neg>-)(?=\S)|(?P<field>[A-Za-z_]+):(?=\S)|"(?P<phrase>[^"]*)"?|(?P<word>[^\s()"]+))'
)


class QueryError(ValueError):
    """The query cannot be parsed; the message says where."""


@dataclass(slots=True)
class Terms:
    """What the query looks for in text, for highlighting snippets."""

    words: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)  # matched in the stem field
    xkeys: set[str] = field(default_factory=set)  # cross-script keys of the query's names


@dataclass(slots=True)
class Node:
    kind: str  # and | or | not | word | phrase | filter
    children: list[Node] = field(default_factory=list)
    field: str | None = None
    value: str = ""
    prefix: bool = False


def parse(q: str) -> Node:
    toks = _lex(q)
    node, pos = _parse_and(toks, 0)
    if pos != len(toks):
        raise QueryError(f"unexpected {toks[pos][1]!r} in query")
    return node


def _lex(q: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(q):
        if q[pos:].strip() == "":
            break
        m = _LEX.match(q, pos)
        if not m or m.end() == pos:
            raise QueryError(f"cannot read the query at {q[pos:]!r}")
        kind = m.lastgroup or ""
        value = m.group(kind) if kind else ""
        if kind == "field" and value.lower() not in FIELDS:
            # Not a known field (e.g. a URL or a time): read it as a plain word.
            word = re.match(r"\s*([^\s()\"]+)", q[pos:])
            kind, value = "word", word.group(1) if word else value
            pos += word.end() if word else m.end()
            out.append((kind, value))
            continue
        if kind == "word" and value == "OR":
            kind = "or"
        out.append((kind, value))
        pos = m.end()
    return out


def _parse_and(toks: list[tuple[str, str]], pos: int, depth: int = 0) -> tuple[Node, int]:
    parts: list[Node] = []
    while pos < len(toks) and toks[pos][0] != "rp":
        node, pos = _parse_or(toks, pos, depth)
        parts.append(node)
    if not parts:
        raise QueryError("empty query")
    return (parts[0] if len(parts) == 1 else Node("and", parts)), pos


def _parse_or(toks: list[tuple[str, str]], pos: int, depth: int) -> tuple[Node, int]:
    node, pos = _parse_unary(toks, pos, depth)
    alts = [node]
    while pos < len(toks) and toks[pos][0] == "or":
        nxt, pos = _parse_unary(toks, pos + 1, depth)
        alts.append(nxt)
    return (alts[0] if len(alts) == 1 else Node("or", alts)), pos


def _parse_unary(toks: list[tuple[str, str]], pos: int, depth: int) -> tuple[Node, int]:
    if pos >= len(toks):
        raise QueryError("query ends where a word was expected")
    if depth > MAX_DEPTH:
        raise QueryError(f"query too deeply nested (over {MAX_DEPTH} brackets or negations)")
    kind, value = toks[pos]
    if kind == "neg":
        node, pos = _parse_unary(toks, pos + 1, depth + 1)
        return Node("not", [node]), pos
    if kind == "lp":
        node, pos = _parse_and(toks, pos + 1, depth + 1)
        if pos >= len(toks) or toks[pos][0] != "rp":
            raise QueryError("missing ')'")
        return node, pos + 1
    if kind == "field":
        if pos + 1 >= len(toks) or toks[pos + 1][0] not in ("word", "phrase"):
            raise QueryError(f"{value}: needs a value")
        _, val = toks[pos + 1]
        prefix = val.endswith("*")
        return Node("filter", field=value.lower(), value=val.rstrip("*"), prefix=prefix), pos + 2
    if kind == "phrase":
        return Node("phrase", value=value), pos + 1
    if kind in ("word", "or"):
        return Node(
            "word", value=value.rstrip("*"), prefix=value.endswith("*") and len(value) > 1
        ), pos + 1
    raise QueryError(f"unexpected {value!r}")


class Builder:
    """Turns a parsed query into a tantivy query and collects highlight terms."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema
        self.terms = Terms()

    def build(self, node: Node) -> tantivy.Query:
        q = self._build(node)
        if q is None:
            raise QueryError("the query has no words to search for")
        return q

    def _build(self, node: Node) -> tantivy.Query | None:
        Occur = tantivy.Occur
        if node.kind == "and":
            subs = [
                (Occur.Must, q) for n in node.children if n.kind != "not" and (q := self._build(n))
            ]
            negs = [
                (Occur.MustNot, q)
                for n in node.children
                if n.kind == "not" and (q := self._build(n.children[0]))
            ]
            if not subs:
                subs = [(Occur.Must, tantivy.Query.all_query())]
            return tantivy.Query.boolean_query(subs + negs)
        if node.kind == "or":
            subs = [(Occur.Should, q) for n in node.children if (q := self._build(n))]
            return tantivy.Query.boolean_query(subs) if subs else None
        if node.kind == "not":
            inner = self._build(node.children[0])
            if inner is None:
                return None
            return tantivy.Query.boolean_query(
                [(Occur.Must, tantivy.Query.all_query()), (Occur.MustNot, inner)]
            )
        if node.kind in ("word", "phrase"):
            return self._text(("text", "path"), node.value, node.prefix, highlight=True)
        if node.kind == "filter":
            return self._filter(node)
        raise QueryError(node.kind)

    def _text(
        self, fields: tuple[str, ...], value: str, prefix: bool, highlight: bool
    ) -> tantivy.Query | None:
        toks = tokens(value)
        if not toks:
            return None
        if highlight:
            self.terms.words.update(toks[:-1] if prefix else toks)
            if prefix:
                self.terms.prefixes.add(toks[-1])
        alts = []
        for i, f in enumerate(fields):
            q = self._tokens_query(f, toks, prefix)
            # A match in the text outranks a match in the file's path.
            alts.append((tantivy.Occur.Should, q if i == 0 else tantivy.Query.boost_query(q, 0.5)))
        if highlight and not prefix and "text" in fields:
            alts.extend(self._loose(toks, value))
        return alts[0][1] if len(alts) == 1 else tantivy.Query.boolean_query(alts)

    def _loose(self, toks: list[str], value: str) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """Stem and cross-script alternatives of a word or phrase, with low boosts."""
        Should = tantivy.Occur.Should
        out = []
        stemmed = stems(toks)
        self.terms.stems.update(stemmed)
        out.append(
            (
                Should,
                tantivy.Query.boost_query(self._tokens_query("stem", stemmed, False), STEM_BOOST),
            )
        )
        # Every name in the query must have a cross-script match (any of its readings);
        # words too short to key (particles, articles) are left out.
        names = [t for w in name_words(value) for t in word_tokens(w)]
        per_token = [plan for t in names if (plan := query_plan(t))]
        if per_token and len(per_token) >= (len(names) + 1) // 2:
            musts = [(tantivy.Occur.Must, self._xscript(plan)) for plan in per_token]
            q = tantivy.Query.boolean_query(musts)
            out.append((Should, tantivy.Query.boost_query(q, XSCRIPT_BOOST)))
        return out

    def _xscript(self, plan: tuple[Lookup, ...]) -> tantivy.Query:
        """One query word in the other script: the best of its readings, each scored by
        its weight and by how well the gaps between its consonants agree (gap keys only
        rank: a reading must match its key)."""
        Q = tantivy.Query

        def term(key: str, weight: float) -> tantivy.Query:
            return Q.const_score_query(Q.term_query(self.schema, "xscript", key), weight)

        readings = []
        for lookup in plan:
            self.terms.xkeys.add(lookup.key)
            clauses = [(tantivy.Occur.Must, term(lookup.key, lookup.weight))]
            for part in lookup.parts:
                best = Q.disjunction_max_query([term(k, w) for k, w in part])
                clauses.append((tantivy.Occur.Should, best))
            readings.append(Q.boolean_query(clauses))
        return readings[0] if len(readings) == 1 else Q.disjunction_max_query(readings)

    def _tokens_query(self, f: str, toks: list[str], prefix: bool) -> tantivy.Query:
        if len(toks) == 1:
            if prefix:
                return tantivy.Query.regex_query(self.schema, f, re.escape(toks[0]) + ".*")
            return tantivy.Query.term_query(self.schema, f, toks[0])
        words: list[str | tuple[int, str]] = list(toks)
        if prefix:
            return tantivy.Query.phrase_prefix_query(self.schema, f, words)
        return tantivy.Query.phrase_query(self.schema, f, words)

    def _filter(self, node: Node) -> tantivy.Query | None:
        f, value = node.field or "", node.value
        if f in TEXT_FILTERS:
            return self._text((f,), value, node.prefix, highlight=f == "text")
        value = value.strip().lower() if f != "id" else value.strip()
        if f == "deleted" or f == "duplicate":
            value = "true" if value in ("true", "yes", "1") else "false"
        if node.prefix or f == "id":
            return tantivy.Query.regex_query(self.schema, f, re.escape(value) + ".*")
        return tantivy.Query.term_query(self.schema, f, value)
