"""tabular extractors."""
