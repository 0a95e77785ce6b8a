"""Verify: custody integrity checks."""
