"""Acquire: expand sources into items and store their bytes (blob store, custody log)."""
