"""Store: the system of record. The catalogue (SQLite; ``catalogue.py``, ``schema.sql``,
schema upgrades on open in ``migrations.py``, the tables name resolution writes in
``entities.py``), the full-text index (tantivy; ``fulltext.py``) and its query language
(``query.py``), the derived link tables (``links.py``) and keeping the index in step with
the catalogue (``refresh.py``). Nothing here imports ``docket.case`` or ``docket.views``."""
