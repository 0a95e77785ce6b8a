"""Index: the catalogue (SQLite), the full-text index (tantivy) and queries."""
