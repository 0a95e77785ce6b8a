"""packages extractors."""
