"""Laws of the files, checked with Hypothesis: whatever a description holds — quotes,
separators, line breaks, formula-like text, any script — the CSV, XLSX and Kumu (JSON and
XLSX) exports import back to the very same text, the GEXF reads back in networkx with it, and
pandas reads our CSV, and a CSV as Excel writes it, as Maillage reads them."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import networkx as nx
import pandas as pd
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from graph.model import ActorFilter
from graph.sqlite_store import SqliteGraphStore
from ingest.export import ExportFormat, export
from ingest.plan import Options, run_import
from ingest.readers import FORMULA_MARKS, read
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
        for fmt in (ExportFormat.csv, ExportFormat.xlsx, ExportFormat.kumu,
                    ExportFormat.kumu_xlsx):  # fmt: skip
            made = export(first, fmt)
            other = with_places(SqliteGraphStore(Path(folder) / f"{fmt.value}.db"))
            run_import(other, read(made.data, made.filename), by="t",
                       options=Options(neighbourhood="Cureghem"))  # fmt: skip
            back = {a.name: a.description or None for a in other.list_actors().items}
            assert back == held, fmt
            other.close()
        gexf = nx.read_gexf(io.BytesIO(export(first, ExportFormat.gexf).data))
        assert {d["label"]: d.get("description") or None for _, d in gexf.nodes(data=True)} == held
        # pandas reads our CSV as we do: the same cells, a formula-like text behind the quote
        # that keeps a spreadsheet from running it (the one quote the import takes off)
        with zipfile.ZipFile(io.BytesIO(export(first, ExportFormat.csv).data)) as archive:
            table = pd.read_csv(archive.open("actors.csv"), dtype=str, keep_default_na=False)
        cells = dict(zip(table["name"], table["description"], strict=True))
        assert {name: _unquoted(cell) or None for name, cell in cells.items()} == held
        first.close()


def _also_utf8(data: bytes) -> bool:
    """Whether bytes with a byte above ASCII also decode as UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


def _unquoted(cell: str) -> str:
    """The cell without the quote an export puts before a formula-like text."""
    return cell[1:] if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_MARKS else cell


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(descriptions=st.lists(TEXT.filter(lambda t: t.strip() == t and "\r" not in t),
                             min_size=1, max_size=4))  # fmt: skip
@example(descriptions=['Le patron dit "bonjour", puis s\'en va', "=1+1", "Œuvre; € 2"])
def test_a_csv_as_excel_writes_it_reads_as_pandas_reads_it(descriptions: list[str]) -> None:
    """A French Excel's "CSV": ';' and Windows-1252 (text it cannot hold is left out here, as
    Excel would replace it), fields quoted only when they must be, quotes doubled."""
    texts = [t.encode("cp1252", "ignore").decode("cp1252") for t in descriptions]
    texts = [t for t in texts if t.strip() == t and t]
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["nom", "type", "quartier", "description"])
    for i, text in enumerate(texts):
        writer.writerow([f"Asbl {i}", "association", "Cureghem", text])
    data = out.getvalue().encode("cp1252")
    # bytes that are UTF-8 too ("Â¡" in Windows-1252 is "¡" in UTF-8) are read as UTF-8, the
    # encoding of nearly every file: a file of such text alone cannot tell which it is
    assume(not _also_utf8(data))
    theirs = pd.read_csv(io.BytesIO(data), sep=";", encoding="cp1252", dtype=str,
                         keep_default_na=False)  # fmt: skip
    ours = {
        row.get("name"): row.get("description") for row in read(data, "carte.csv").tables[0].rows
    }
    assert ours == dict(zip(theirs["nom"], theirs["description"].replace("", None), strict=True))
