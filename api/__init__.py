"""Maillage: api package."""
