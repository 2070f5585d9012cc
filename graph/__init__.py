"""Maillage: graph package."""
