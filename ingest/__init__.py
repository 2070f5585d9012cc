"""Maillage: ingest package."""
