"""Enrich: pure functions from text to annotations."""
