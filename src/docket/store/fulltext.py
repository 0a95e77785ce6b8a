"""The full-text index (tantivy), one document per item.

Text is folded and tokenised by Docket (``docket.text.normalize``) and handed to
tantivy already split, through its whitespace tokenizer: the same code folds the index
and the query, so Arabic spelling variants meet. Snippets are built from the catalogue's
original text, not from the index (see ``docket.views.snippets``).

Two more fields serve looser matches, searched with lower boosts than ``text``: ``stem``
(one light stem per token: ``docket.text.stem``) and ``xscript`` (cross-script name
keys: ``docket.text.xscript``; Arabic-script words and capitalised Latin words only,
since lower-case English prose is not names).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import tantivy

from docket.extract import types
from docket.text.normalize import tokens
from docket.text.stem import stems
from docket.text.xscript import NOT_NAME_INITIALS, name_words, token_keys, word_tokens

# Bump when fields change: an index of another version is rebuilt from the catalogue.
INDEX_VERSION = "6"  # 6: cross-script gap and fine-letter keys, weighed at query time (xscript)
TEXT_FIELDS = ("text", "path", "person", "org", "place")
LOOSE_FIELDS = ("stem", "xscript")
KEYWORD_FIELDS = ("id", "type", "lang", "status", "deleted", "ext", "date", "duplicate")
# Counted for the desk's facets in one pass over the hits (``Searcher.aggregate``), which
# needs the values as fast fields (columns): the keywords, the year of each date, and
# each person, organisation and place by its normalised value, whole.
FAST_FIELDS = ("type", "lang", "status", "deleted", "duplicate")
NAME_FACETS = {"person": "person_value", "org": "org_value", "place": "place_value"}


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in TEXT_FIELDS + LOOSE_FIELDS:
        b.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in KEYWORD_FIELDS[1:]:
        b.add_text_field(name, tokenizer_name="raw", fast=name in FAST_FIELDS)
    for name in ("year", *NAME_FACETS.values()):
        b.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    return b.build()


@dataclass(slots=True)
class Hit:
    id: str
    score: float


@dataclass(frozen=True, slots=True)
class TextFields:
    """The index fields made from an item's text: its folded tokens, their stems and its
    cross-script name keys. Folding is most of what indexing an item costs, so workers
    make these beside the text they extracted or enriched (``text_fields``) and the
    coordinator, the single writer, only adds them; ``digest`` names the text they were
    made from, and ``put`` folds afresh when the text it is given is another."""

    digest: str
    text: str
    stem: str
    xscript: str


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def text_fields(text: str) -> TextFields:
    folded = tokens(text)
    return TextFields(
        text_digest(text), " ".join(folded), " ".join(stems(folded)), " ".join(name_keys(text))
    )


class FullText:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self._writer: Any = None

    @staticmethod
    def reset(path: Path) -> None:
        """Delete the index so it can be rebuilt from the catalogue."""
        if path.exists():
            shutil.rmtree(path)

    # -- writing (coordinator only) ----------------------------------------------------
    @property
    def writer(self) -> Any:
        if self._writer is None:
            self._writer = self.index.writer(heap_size=32_000_000, num_threads=1)
        return self._writer

    def put(self, item: dict[str, Any], text: str, fields: TextFields | None = None) -> None:
        """Add or replace an item's document (``fields``: made from ``text`` already)."""
        if fields is None or fields.digest != text_digest(text):
            fields = text_fields(text)
        w = self.writer
        w.delete_documents_by_term("id", item["id"])
        ftype = types.get(item.get("type") or "binary")
        doc = tantivy.Document()
        doc.add_text("id", item["id"])
        doc.add_text("text", fields.text)
        doc.add_text("stem", fields.stem)
        doc.add_text("xscript", fields.xscript)
        doc.add_text("path", " ".join(tokens(" ".join(item["path"]))))
        for value in {ftype.key, ftype.family}:
            doc.add_text("type", value)
        doc.add_text("status", item.get("status") or "")
        doc.add_text("deleted", "true" if item.get("deleted") else "false")
        doc.add_text("duplicate", "true" if item.get("duplicate_of") else "false")
        doc.add_text("ext", (item.get("extension") or "").lower())
        # Every language of a mixed item (metadata.languages), so lang:eng finds an
        # Arabic letter with an English annex too.
        langs = [item.get("lang"), *((item.get("metadata") or {}).get("languages") or [])]
        for lang in dict.fromkeys(x for x in langs if isinstance(x, str) and x):
            doc.add_text("lang", lang)
        for field, values in (item.get("facets") or {}).items():
            for value in values:
                # Names are searched by their words; dates and other keywords as they are.
                doc.add_text(field, _folded(value) if field in TEXT_FIELDS else value)
                if field in NAME_FACETS:
                    doc.add_text(NAME_FACETS[field], value)
                elif field == "date" and len(value) == 4:
                    doc.add_text("year", value)
        w.add_document(doc)

    def delete(self, ids: Iterable[str]) -> None:
        for item_id in ids:
            self.writer.delete_documents_by_term("id", item_id)

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None

    # -- reading -----------------------------------------------------------------------
    def search(
        self, query: tantivy.Query, limit: int = 10, offset: int = 0
    ) -> tuple[int, list[Hit]]:
        self.index.reload()
        searcher = self.index.searcher()
        result = searcher.search(query, limit=limit, offset=offset, count=True)
        hits = [Hit(searcher.doc(addr)["id"][0], score) for score, addr in result.hits]
        # tantivy's stubs leave out SearchResult.count (set when searched with count=True)
        return int(result.count or 0), hits  # type: ignore[attr-defined]

    def num_docs(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_docs)


@lru_cache(maxsize=65_536)
def _folded(value: str) -> str:
    """A name facet's folded words, as the index takes them (cached: the same names come
    back item after item, about fifty facet values an item)."""
    return " ".join(tokens(value))


def name_keys(text: str) -> list[str]:
    """Cross-script keys of the words that may be names: every Arabic-script word, and
    Latin words written with a capital. Each key once per item (a name's presence is what
    counts, and a long document stays small in the index)."""
    # Lower-case English is left out as the words are split, before any folding (most
    # of the text); the others once each, in the order first met.
    candidates = dict.fromkeys(name_words(text, NOT_NAME_INITIALS))
    return list(dict.fromkeys(chain.from_iterable(map(_word_keys, candidates))))


@lru_cache(maxsize=262_144)
def _word_keys(word: str) -> tuple[str, ...]:
    return tuple(key for folded in word_tokens(word) for key in token_keys(folded))
