"""Maillage: viz package."""
