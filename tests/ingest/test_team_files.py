"""Files as teams and tools really make them: headers merged over columns and rows (in XLSX and
in an Excel 97 .xls), Kumu's own rules (Direction, "A|B", duplicate labels), and not one
column or value dropped without a word — on both stores where a store is involved."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from graph.errors import InvalidInput
from graph.store import GraphStore
from ingest.plan import Options, run_import
from ingest.readers import read

DATA = Path(__file__).parent / "data"


def _import(store: GraphStore, data: bytes, name: str, **options: Any) -> dict[str, Any]:
    dry = options.pop("dry_run", False)
    return run_import(store, read(data, name), by="coordinator", options=Options(**options),
                      dry_run=dry)  # fmt: skip


def _book(*sheets: tuple[str, list[list[Any]], list[str]]) -> bytes:
    """A workbook of (title, rows, merged ranges such as "D1:E1")."""
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows, merges in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cells in merges:
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_header_merged_over_two_columns_reads_both(store: GraphStore) -> None:
    """ "Téléphones" merged over D and E, "Thèmes" over F and G: both columns' values are kept
    (the second was dropped without a word), and a column nobody knows is counted."""
    data = _book((
        "Acteurs",
        [
            ["Carte de Cureghem — novembre"],
            ["Nom", "Type", "Quartier", "Téléphones", None, "Thèmes", None, "Remarques"],
            ["Maison médicale Le Noyer", "acteur de santé", "Cureghem", "02 520 12 34",
             "0470 12 34 56 (mobile)", "santé", "santé mentale", "voir Amina"],
            ["Épicerie Chez Fatima", "commerçant", "Cureghem", None, "0486 11 22 33",
             "alimentation", None, None],
        ],
        ["D2:E2", "F2:G2"],
    ), ("Notes", [["À appeler en janvier"], ["Réunion du 12"]], []),
       ("Brouillon (ignore)", [["x"]], []))  # fmt: skip
    report = _import(store, data, "carte.xlsx")
    assert report["counts"]["created"]["actors"] == 2
    made = {a.name: a for a in store.list_actors(limit=10).items}
    noyer = made["Maison médicale Le Noyer"]
    assert [p.number for p in noyer.phones] == ["+3225201234", "+32470123456"]
    assert noyer.themes == ["health", "mental health"]
    assert [p.number for p in made["Épicerie Chez Fatima"].phones] == ["+32486112233"]
    # the column nobody knows, and the sheets not read, are said with what they held
    assert report["not_kept"] == [
        {"sheet": "Acteurs", "column": "H (Remarques)", "values": 1},
        {"sheet": "Notes", "column": "the whole sheet (no column says actors or links)",
         "values": 2},
        {"sheet": "Brouillon (ignore)", "column": "the whole sheet (its name says ignore)",
         "values": 1},
    ]  # fmt: skip


def test_a_header_over_two_rows_reads_the_lower_names(store: GraphStore) -> None:
    """ "Nom" merged down over rows 1–2 beside "Contact" over "Téléphone" and "E-mail"."""
    data = _book((
        "Acteurs",
        [
            ["Nom", "Type", "Quartier", "Contact", None],
            [None, None, None, "Téléphone", "E-mail"],
            ["CPAS d'Anderlecht", "service public", "Cureghem", "02 529 40 11",
             "info@cpas-anderlecht.be"],
        ],
        ["A1:A2", "B1:B2", "C1:C2", "D1:E1"],
    ))  # fmt: skip
    _import(store, data, "carte.xlsx")
    (cpas,) = store.list_actors(limit=10).items
    assert cpas.email == "info@cpas-anderlecht.be" and cpas.phones[0].number == "+3225294011"


def test_merged_headers_in_an_excel_97_workbook(store: GraphStore) -> None:
    """The .xls test workbook (made by xlwt, see data/make_xls.py) with a merged header."""
    report = _import(store, (DATA / "annuaire-merged97.xls").read_bytes(), "annuaire.xls")
    assert report["format"] == "xls" and report["counts"]["created"]["actors"] == 1
    (made,) = store.list_actors(limit=10).items
    assert [p.number for p in made.phones] == ["+3225201234", "+32470123456"]


def test_every_column_not_kept_is_counted_and_an_empty_import_says_why(
    sqlite_store: GraphStore,
) -> None:
    sheet = "nom;type;quartier;remarque;\nAMO Rossini;association;Cureghem;à revoir;x\n"
    report = _import(sqlite_store, sheet.encode(), "carte.csv", dry_run=True)
    assert report["not_kept"] == [
        {"sheet": "carte.csv", "column": "remarque", "values": 1},
        {"sheet": "carte.csv", "column": "#5", "values": 1},  # a column with no header
    ]
    assert report["nothing_written"] is None
    _import(sqlite_store, sheet.encode(), "carte.csv")
    again = _import(sqlite_store, sheet.encode(), "carte.csv")
    assert "already recorded as it says (1 actors" in again["nothing_written"]
    only_notes = "nom;type;quartier;remarque\n;;;à revoir\n"
    empty = _import(sqlite_store, only_notes.encode(), "carte.csv")
    assert "no row has a value in a column Maillage reads" in empty["nothing_written"]
    assert empty["not_kept"] == [{"sheet": "carte.csv", "column": "remarque", "values": 1}]


def test_what_kumu_json_holds_beyond_our_fields_is_counted(sqlite_store: GraphStore) -> None:
    blueprint = (
        b'{"elements": [{"_id": "e1", "attributes": {"label": "AMO Rossini", "element type":'
        b' "association", "image": "https://kumu.io/a.png", "score": 3}}], "connections": []}'
    )
    report = _import(sqlite_store, blueprint, "map.json", neighbourhood="Cureghem")
    assert {(c["column"], c["values"]) for c in report["not_kept"]} == {("image", 1), ("score", 1)}


def _kumu(elements: list[list[Any]], connections: list[list[Any]]) -> bytes:
    return _book(
        ("Elements", [["Label", "Type", "Neighbourhood", "Description"], *elements], []),
        ("Connections", [["From", "To", "Type", "Direction"], *connections], []),
    )


def test_kumu_directions_are_honoured_or_said(store: GraphStore) -> None:
    """ "mutual" on a directed type is a link each way, as Kumu draws it; "directed" on a type
    that has no direction is kept undirected and the row says so."""
    data = _kumu(
        [["AMO Rossini", "association", "Cureghem", None],
         ["Maison médicale Le Noyer", "health actor", "Cureghem", None],
         ["CPAS d'Anderlecht", "public service", "Cureghem", None]],
        [["AMO Rossini", "Maison médicale Le Noyer", "REFERS_TO", "mutual"],
         ["AMO Rossini", "CPAS d'Anderlecht", "KNOWS", "directed"],
         ["Maison médicale Le Noyer", "CPAS d'Anderlecht", "REFERS_TO", "directed"]],
    )  # fmt: skip
    report = _import(store, data, "kumu.xlsx")
    assert report["counts"]["created"]["links"] == 4
    names = {a.id: a.name for a in store.list_actors(limit=10).items}
    refers = {(names[k.source], names[k.target]) for k in store.list_links().items
              if k.type == "REFERS_TO"}  # fmt: skip
    assert refers == {("AMO Rossini", "Maison médicale Le Noyer"),
                      ("Maison médicale Le Noyer", "AMO Rossini"),
                      ("Maison médicale Le Noyer", "CPAS d'Anderlecht")}  # fmt: skip
    notes = {(n["row"], n["reason"].split(":")[0]) for n in report["notes"]}
    assert notes == {(2, "'mutual' on a REFERS_TO link"), (3, "'directed' on a KNOWS link")}
    again = _import(store, data, "kumu.xlsx")
    assert not any(again["counts"]["created"].values())


def test_a_duplicate_kumu_label_is_one_element_when_the_type_agrees(store: GraphStore) -> None:
    data = _kumu(
        [["AMO Rossini", "association", "Cureghem", "Aide en milieu ouvert"],
         ["AMO Rossini", "association", "Cureghem", "AMO de la rue Rossini"],
         ["Club de foot Lemmens", "association", "Cureghem", None]],
        [["AMO Rossini", "Club de foot Lemmens", "KNOWS", None]],
    )  # fmt: skip
    report = _import(store, data, "kumu.xlsx")
    assert (report["counts"]["created"]["actors"], report["counts"]["created"]["links"]) == (2, 1)
    (note,) = report["notes"]
    assert note["row"] == 3 and "the same element as row 2" in note["reason"]
    assert "description differ" in note["reason"]


def test_kumu_elements_that_cannot_be_one_are_refused_first(sqlite_store: GraphStore) -> None:
    """Same label, another type (or another id): refused with the real cause first; the
    connection that names the refused id says so, not "no actor 'e2' in the file"."""
    blueprint = (
        b'{"elements": ['
        b'{"_id": "e1", "attributes": {"label": "AMO Rossini", "element type": "association"}},'
        b'{"_id": "e2", "attributes": {"label": "AMO Rossini", "element type": "association"}},'
        b'{"_id": "e3", "attributes": {"label": "Club Lemmens", "element type": "association"}}],'
        b' "connections": [{"from": "e2", "to": "e3", "direction": "undirected",'
        b' "attributes": {"connection type": "KNOWS"}}]}'
    )
    with pytest.raises(InvalidInput) as refused:
        _import(sqlite_store, blueprint, "map.json", neighbourhood="Cureghem")
    first, second = refused.value.details["refused"]
    assert (first["sheet"], first["row"]) == ("elements", 2)
    assert "labelled like row 1 with another id (e1, e2)" in first["reason"]
    assert "the actor refused at row 2" in second["reason"] and "no actor" not in second["reason"]
    assert "labelled like row 1" in str(refused.value)
    assert sqlite_store.list_actors().items == []


def test_a_file_of_a_zip_that_is_not_read_is_said(sqlite_store: GraphStore) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "actors.csv", "name,kind,neighbourhood\nAMO Rossini,association,Cureghem\n"
        )
        archive.writestr("LISEZMOI.txt", "Carte faite par l'équipe en novembre")
    report = _import(sqlite_store, buffer.getvalue(), "carte.zip")
    assert report["counts"]["created"]["actors"] == 1
    assert report["not_kept"] == [
        {"sheet": "LISEZMOI.txt", "column": "the whole file (not a CSV)", "values": 1}
    ]


def test_merged_cells_are_found_across_the_chunks_a_large_sheet_is_read_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sheet's XML is read a chunk at a time: a merged range cut by a chunk's end counts."""
    import ingest.readers

    data = _book(("Acteurs", [["Nom", "Type", "Quartier", "Téléphones", None],
                              ["AMO Rossini", "association", "Cureghem", "02 520 12 34",
                               "0470 12 34 56"]], ["D1:E1", "A3:B3"]))  # fmt: skip
    whole = [row.values for row in read(data, "carte.xlsx").tables[0].rows]
    for size in (7, 23, 64):
        monkeypatch.setattr(ingest.readers, "_CHUNK", size)
        assert [row.values for row in read(data, "carte.xlsx").tables[0].rows] == whole
    assert whole[0]["phones"] == "02 520 12 34 | 0470 12 34 56"
