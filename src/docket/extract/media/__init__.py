"""media extractors."""
