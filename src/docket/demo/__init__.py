"""The sample case: a generated, fictional document cache."""
