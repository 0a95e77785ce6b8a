"""Text and language: what every stage needs to read Arabic and English the same way.

Normalisation (``normalize``), light stemming (``stem``), digits (``digits``), scripts
(``scripts``), cross-script keys (``xscript``, ``xscript_rules``, ``xscript_roman``),
calendars (``calendars``: the one Hijri ↔ Gregorian conversion and the month names) and
names (``names``: the one lexicon of titles, kunya heads, nasab links and articles, and
the one parser that splits a name into typed parts).

Dependency rule: this package imports nothing of Docket's but ``docket.model``; enrich,
resolve, index and verify import it, never the other way round.
"""
