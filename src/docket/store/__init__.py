"""Store: the system of record. The catalogue (SQLite; ``catalogue.py``, ``schema.sql``),
the full-text index (tantivy; ``fulltext.py``) and its query language (``query.py``),
the derived link tables (``links.py``), schema upgrades on open (``migrations.py``) and
keeping the index in step with the catalogue (``refresh.py``). Nothing here imports
``docket.case`` or ``docket.views``."""
