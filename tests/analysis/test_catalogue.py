"""The analysis catalogue reads like networkx's: every public function documented with its
Parameters, its Returns and a runnable example (the doctests run them)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import analysis

MODULES = [m.name for m in pkgutil.iter_modules(analysis.__path__) if m.name != "results"]


@pytest.mark.parametrize("module", MODULES)
def test_every_public_function_is_documented(module: str) -> None:
    loaded = importlib.import_module(f"analysis.{module}")
    for name, fn in inspect.getmembers(loaded, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != loaded.__name__:
            continue
        doc = inspect.getdoc(fn) or ""
        for section in ("Parameters\n----------", "Returns\n-------", "Examples\n--------"):
            assert section in doc, f"analysis.{module}.{name} lacks {section.split()[0]}"
        assert ">>> " in doc, f"analysis.{module}.{name} has no runnable example"
