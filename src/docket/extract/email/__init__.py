"""email extractors."""
