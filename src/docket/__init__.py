"""Docket: turn a seized or leaked document cache into an evidence-grade, searchable case."""

__version__ = "0.1.0"
