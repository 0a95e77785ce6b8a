"""documents extractors."""
