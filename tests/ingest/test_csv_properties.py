"""Laws of the spreadsheet files, checked with Hypothesis: whatever a description holds —
quotes, separators, line breaks, formula-like text, any script — the CSV and XLSX exports
import back to the very same text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.model import ActorFilter
from graph.sqlite_store import SqliteGraphStore
from ingest.export import ExportFormat, export
from ingest.plan import run_import
from ingest.readers import read
from tests.conftest import with_places

TRICKY = st.sampled_from(['"', "'", ";", ",", "\t", "\n", "=", "+", "-", "@", "|", "€", "Œ"])
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")) | TRICKY,
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(descriptions=st.lists(TEXT, min_size=1, max_size=4))
@example(descriptions=['Le patron dit "bonjour"; puis\ns\'en va', "'=1+1", '=cmd|" /C calc"!A0'])
def test_every_spreadsheet_export_reads_back_the_same_text(descriptions: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = with_places(SqliteGraphStore(Path(folder) / "a.db"))
        for i, text in enumerate(descriptions):
            actor = {"name": f"Asbl {i}", "kind": "association", "neighbourhood": "Cureghem"}
            first.create_actor({**actor, "description": text}, by="t")
        # (a description of spaces only is stored empty, and an empty cell is no description)
        held = {a.name: a.description or None for a in first.list_actors(ActorFilter()).items}
        for fmt in (ExportFormat.csv, ExportFormat.xlsx):
            made = export(first, fmt)
            other = with_places(SqliteGraphStore(Path(folder) / f"{fmt.value}.db"))
            run_import(other, read(made.data, made.filename), by="t")
            back = {a.name: a.description or None for a in other.list_actors().items}
            assert back == held, fmt
            other.close()
        first.close()
