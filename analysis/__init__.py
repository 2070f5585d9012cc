"""Maillage: analysis package."""
