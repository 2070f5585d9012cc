"""Import and export: the spreadsheets teams keep, Kumu maps and HSDS social maps come in,
safely; Gephi, Kumu and spreadsheets get the network back; what is exported imports back
unchanged, on both stores."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from openpyxl import Workbook, load_workbook

from graph.errors import InvalidInput
from graph.model import EventFilter, today
from graph.sqlite_store import SqliteGraphStore
from graph.store import GraphStore
from ingest.export import ExportFormat, export, template
from ingest.plan import Options, run_import
from ingest.readers import read
from tests.conftest import with_places
from tests.contract.helpers import state


def _import(store: GraphStore, data: bytes, name: str, **options: Any) -> dict[str, Any]:
    dry = options.pop("dry_run", False)
    return run_import(store, read(data, name), by="coordinator", options=Options(**options),
                      dry_run=dry)  # fmt: skip


def _created(report: dict[str, Any]) -> tuple[int, int]:
    counts = report["counts"]["created"]
    return counts["actors"], counts["links"]


def _unchanged(report: dict[str, Any]) -> bool:
    counts = report["counts"]
    return not any(counts["created"].values()) and not any(counts["updated"].values())


FRENCH_CSV = (
    "Nom;Type;Quartier;Thèmes;Langues;Depuis\n"
    "Maison médicale Le Noyer;acteur de santé;Cureghem;santé|santé mentale;fr|ar;2024-03-01\n"
    "Épicerie Chez Fatima;commerçant;Cureghem;;ar|fr;\n"
    '"Mosquée Al Khalil; Anderlecht";lieu de culte;Cureghem;;ar;2023-01-01\n'
).encode()

LINKS_CSV = (
    "De,Vers,Type de lien,Force,Depuis,Remarque\n"
    "Maison médicale Le Noyer,Épicerie Chez Fatima,KNOWS,2,2025-01-10,\n"
    'Épicerie Chez Fatima,"Mosquée Al Khalil; Anderlecht",se connaissent,3,,=1+1\n'
).encode()


def test_a_french_spreadsheet_comes_in_once_and_updates_when_it_changes(
    sqlite_store: GraphStore,
) -> None:
    store = sqlite_store
    first = _import(store, FRENCH_CSV, "acteurs.csv")
    assert _created(first) == (3, 0)
    links = _import(store, LINKS_CSV, "liens.csv")
    assert _created(links) == (0, 2)
    clinic = store.list_actors().items
    names = {a.name: a for a in clinic}
    assert names["Maison médicale Le Noyer"].kind == "health_actor"
    # the sheet's French words are the vocabulary's codes: "santé" is health
    assert names["Maison médicale Le Noyer"].themes == ["health", "mental health"]
    assert names["Mosquée Al Khalil; Anderlecht"].kind == "place_of_worship"
    # a formula is text, never run
    notes = {link.note for link in store.list_links().items}
    assert "=1+1" in notes
    # the same files again change nothing, and write nothing
    kept = state(store)
    assert _unchanged(_import(store, FRENCH_CSV, "acteurs.csv"))
    assert _unchanged(_import(store, LINKS_CSV, "liens.csv"))
    assert state(store) == kept
    # an updated file updates, with events naming the import
    changed = FRENCH_CSV.replace(b"ar|fr;\n", b"ar|fr|nl;\n")
    report = _import(store, changed, "acteurs v2.csv")
    assert report["counts"]["updated"]["actors"] == 1 and _created(report) == (0, 0)
    assert names["Épicerie Chez Fatima"].id in {a.id for a in store.list_actors().items}
    assert store.get_actor(names["Épicerie Chez Fatima"].id).languages == ["ar", "fr", "nl"]
    events = store.list_events(EventFilter(user="coordinator (import: acteurs v2.csv)")).items
    assert [e.action for e in events] == ["update"]


def test_a_bad_row_is_reported_where_it_is_and_nothing_is_written(
    sqlite_store: GraphStore,
) -> None:
    store = sqlite_store
    bad = FRENCH_CSV + "Café sans type;;Cureghem;;;\nClub;dragon;Cureghem;;;2999-01-01\n".encode()
    kept = state(store)
    with pytest.raises(InvalidInput) as refused:
        _import(store, bad, "acteurs.csv")
    assert state(store) == kept
    problems = refused.value.details["refused"]
    assert {"sheet": "acteurs.csv", "row": 5, "column": "Type",
            "reason": "an actor needs a kind"} in problems  # fmt: skip
    dragon = [p for p in problems if p["row"] == 6]
    assert dragon and dragon[0]["column"] == "Type" and "dragon" in dragon[0]["reason"]
    assert "acteurs.csv: nothing imported (refused rows: 2)" in refused.value.message
    # a link to nobody is refused too, with its column
    with pytest.raises(InvalidInput) as nobody:
        _import(store, b"from,to,type\nPersonne,Autre,KNOWS\n", "links.csv")
    assert nobody.value.details["refused"][0]["column"] == "from"
    assert state(store) == kept


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (bytes(range(128, 256)) * 40, "random.csv", "not UTF-8"),
        (b"PK\x03\x04broken", "broken.xlsx", "not a readable zip"),
        (b"", "empty.csv", "empty"),
        (b"nothing,useful\n1,2\n", "odd.csv", "no column says what it holds"),
        (b'{"elements": 3}', "map.json", "not a Kumu map"),
        (b'{"records": {}, "events": []}', "backup.json", "maillage restore"),
        (b"{not json", "map.json", "not valid JSON"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_message(
    sqlite_store: GraphStore, data: bytes, name: str, says: str
) -> None:
    kept = state(sqlite_store)
    with pytest.raises(InvalidInput, match=says):
        _import(sqlite_store, data, name)
    assert state(sqlite_store) == kept


def test_a_broken_workbook_and_a_zip_bomb_are_refused(sqlite_store: GraphStore) -> None:
    kept = state(sqlite_store)
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")  # a workbook with no sheets
    with pytest.raises(InvalidInput, match="not a readable XLSX"):
        _import(sqlite_store, workbook.getvalue(), "carte.xlsx")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actors.csv", b"name,kind\n" + b"0" * 30_000_000)
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(InvalidInput, match="zip bomb"):
        _import(sqlite_store, bomb.getvalue(), "carte.zip")
    with pytest.raises(InvalidInput, match="larger than"):
        _import(sqlite_store, b"name,kind\n" + b"x" * (51 * 2**20), "huge.csv")
    assert state(sqlite_store) == kept


def test_the_template_imports_and_formulas_in_a_workbook_stay_text(
    sqlite_store: GraphStore,
) -> None:
    book = load_workbook(io.BytesIO(template()))
    assert book.sheetnames[:2] == ["Actors", "Links"]
    book["Actors"].append(["", '=HYPERLINK("http://evil")', "association", "Cureghem"])
    book["Actors"]["A4"].value = None
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(sqlite_store, buffer.getvalue(), "template.xlsx")
    assert _created(report) == (3, 1)
    names = {a.name for a in sqlite_store.list_actors().items}
    assert '=HYPERLINK("http://evil")' in names


KUMU = {
    "elements": [
        {"_id": "elem-noyer", "attributes": {"label": "Maison médicale Le Noyer",
                                             "element type": "Health", "tags": ["health"],
                                             "description": "Soins de première ligne"}},
        {"_id": "elem-fatima", "attributes": {"label": "Épicerie Chez Fatima",
                                              "element type": "Shop"}},
        {"_id": "elem-club", "label": "Club de foot", "type": "Organisation"},
    ],
    "connections": [
        {"_id": "conn-1", "from": "elem-noyer", "to": "elem-fatima", "direction": "mutual",
         "attributes": {"connection type": "knows"}},
        {"_id": "conn-2", "from": "elem-club", "to": "elem-fatima", "direction": "directed",
         "attributes": {"connection type": "sponsors"}},
    ],
}  # fmt: skip
MAPPING = {
    "kinds": {"Health": "health_actor", "Shop": "trader", "Organisation": "association"},
    "link_types": {"knows": "KNOWS", "sponsors": "PARTNER_OF"},
}


def test_a_kumu_map_comes_in_through_the_users_mapping(sqlite_store: GraphStore) -> None:
    data = json.dumps(KUMU).encode()
    # without the mapping, unknown types are reported, not guessed
    with pytest.raises(InvalidInput) as unknown:
        _import(sqlite_store, data, "map.json", neighbourhood="Cureghem")
    reasons = [p["reason"] for p in unknown.value.details["refused"]]
    assert any("unknown kind 'Health'" in r for r in reasons)
    assert any("unknown link type 'sponsors'" in r for r in reasons)
    report = _import(sqlite_store, data, "map.json", neighbourhood="Cureghem", mapping=MAPPING)
    assert _created(report) == (3, 2)
    # Kumu's ids are stable source ids: they are the actors' ids, the map imports again as is
    assert sqlite_store.get_actor("elem-noyer").themes == ["health"]
    assert _unchanged(
        _import(sqlite_store, data, "map.json", neighbourhood="Cureghem", mapping=MAPPING)
    )
    with pytest.raises(InvalidInput, match="not one of ours"):
        _import(sqlite_store, data, "map.json", mapping={"kinds": {"Shop": "boutique"}})


def test_a_kumu_workbook_names_ends_by_label(sqlite_store: GraphStore) -> None:
    book = Workbook()
    elements = book.active
    elements.title = "Elements"
    elements.append(["Label", "Type", "Tags", "Neighbourhood"])
    elements.append(["Maison médicale Le Noyer", "health actor", "health | youth", "Cureghem"])
    elements.append(["Épicerie Chez Fatima", "trader", "", "Cureghem"])
    connections = book.create_sheet("Connections")
    connections.append(["From", "To", "Type", "Strength"])
    connections.append(["Maison médicale Le Noyer", "épicerie chez fatima", "KNOWS", 2])
    ignored = book.create_sheet("Notes (ignore)")
    ignored.append(["anything"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(sqlite_store, buffer.getvalue(), "kumu.xlsx")
    assert report["format"] == "kumu-xlsx" and _created(report) == (2, 1)
    noyer = next(a for a in sqlite_store.list_actors().items if a.name.startswith("Maison"))
    assert noyer.themes == ["health", "youth"]


def test_a_kumu_connection_to_several_names_is_one_link_each(sqlite_store: GraphStore) -> None:
    """In Kumu, To = "A|B" is one connection to A and one to B: so here (it was refused as
    no actor named "A|B")."""
    book = Workbook()
    elements = book.active
    assert elements is not None
    elements.title = "Elements"
    elements.append(["Label", "Type", "Neighbourhood"])
    for label in ("AMO Rossini", "Maison de jeunes Peterbos", "Club de foot Lemmens"):
        elements.append([label, "association", "Cureghem"])
    connections = book.create_sheet("Connections")
    connections.append(["From", "To", "Type"])
    connections.append(["AMO Rossini", "Maison de jeunes Peterbos | Club de foot Lemmens",
                        "KNOWS"])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    report = _import(sqlite_store, buffer.getvalue(), "kumu.xlsx")
    assert _created(report) == (3, 2)
    again = _import(sqlite_store, buffer.getvalue(), "kumu.xlsx")
    assert _unchanged(again)


def _hsds_zip() -> bytes:
    files = {
        "datapackage.json": json.dumps({"name": "brussels-social-map", "resources": []}),
        "organizations.csv": "id,name,description\n"
        "11111111-aaaa-4aaa-8aaa-000000000001,CPAS d'Anderlecht,Aide sociale\n"
        "11111111-aaaa-4aaa-8aaa-000000000002,Maison de l'emploi,Emploi et formation\n",
        "services.csv": "id,organization_id,name,description,status\n"
        "22222222-bbbb-4bbb-8bbb-000000000001,11111111-aaaa-4aaa-8aaa-000000000001,"
        "Service logement,Aide au logement,active\n"
        "22222222-bbbb-4bbb-8bbb-000000000002,11111111-aaaa-4aaa-8aaa-000000000002,"
        "Maison de l'emploi,Accueil,active\n",
        "locations.csv": "id,organization_id,name,latitude,longitude\n"
        "33333333-cccc-4ccc-8ccc-000000000001,11111111-aaaa-4aaa-8aaa-000000000001,Siège,"
        "50.8366,4.3105\n",
        "physical_addresses.csv": "id,location_id,address_1,city,postal_code,country\n"
        "p1,33333333-cccc-4ccc-8ccc-000000000001,Rue Rossini 18,Anderlecht,1070,BE\n",
        "languages.csv": "id,service_id,language\n"
        "l1,22222222-bbbb-4bbb-8bbb-000000000001,fr\n"
        "l2,22222222-bbbb-4bbb-8bbb-000000000001,nl\n"
        "l3,22222222-bbbb-4bbb-8bbb-000000000002,ar\n",
        "taxonomy.csv": "id,name\nt1,housing\nt2,employment\n",
        "service_taxonomy.csv": "id,service_id,taxonomy_id\n"
        "s1,22222222-bbbb-4bbb-8bbb-000000000001,t1\n"
        "s2,22222222-bbbb-4bbb-8bbb-000000000002,t2\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"package/{name}", text)
    return buffer.getvalue()


def test_an_hsds_social_map_seeds_the_directory(sqlite_store: GraphStore) -> None:
    data = _hsds_zip()
    with pytest.raises(InvalidInput, match="needs a kind"):
        _import(sqlite_store, data, "hsds.zip", neighbourhood="Cureghem")
    report = _import(sqlite_store, data, "hsds.zip", neighbourhood="Cureghem",
                     kind="public_service")  # fmt: skip
    assert report["format"] == "hsds" and _created(report) == (3, 1)
    cpas = sqlite_store.get_actor("11111111-aaaa-4aaa-8aaa-000000000001")
    assert cpas.address == "Rue Rossini 18, 1070, Anderlecht" and cpas.latitude == 50.8366
    housing = sqlite_store.get_actor("22222222-bbbb-4bbb-8bbb-000000000001")
    assert housing.themes == ["housing"] and housing.languages == ["fr", "nl"]
    # a service named like its organisation is the organisation
    emploi = sqlite_store.get_actor("11111111-aaaa-4aaa-8aaa-000000000002")
    assert emploi.themes == ["employment"] and emploi.languages == ["ar"]
    link = sqlite_store.list_links().items[0]
    assert (link.source, link.target, link.type) == (housing.id, cpas.id, "MEMBER_OF")
    assert _unchanged(_import(sqlite_store, data, "hsds.zip", neighbourhood="Cureghem",
                              kind="public_service"))  # fmt: skip


def test_duplicates_of_existing_actors_are_reported_never_merged(
    sqlite_store: GraphStore,
) -> None:
    existing = sqlite_store.create_actor(
        {"name": "Pharmacie Kuregem-Apotheek", "kind": "health_actor",
         "neighbourhood": "Cureghem"}, by="amina")  # fmt: skip
    data = b"name,kind,neighbourhood\nApotheek Kuregem,health_actor,Cureghem\n"
    plan = _import(sqlite_store, data, "a.csv", dry_run=True)
    assert plan["similar"][0]["existing"] == {"id": existing.id, "name": existing.name}
    assert plan["written"] is None and sqlite_store.list_actors().total == 1
    done = _import(sqlite_store, data, "a.csv")
    assert done["counts"]["similar"] == 1 and sqlite_store.list_actors().total == 2


# --------------------------------------------------------------------------- round trips


def _neighbourhood(store: GraphStore) -> None:
    made = store.create_actors(
        [
            {"name": "Maison de Quartier Bonnevie", "kind": "association",
             "neighbourhood": "Cureghem", "since": "2024-01-01", "themes": ["youth", "=cmd"]},
            {"name": "Épicerie Chez Fatima", "kind": "trader", "neighbourhood": "Cureghem",
             "languages": ["ar", "fr"], "latitude": 50.83, "longitude": -4.31},
            {"name": "Tante R.", "kind": "key_resident", "neighbourhood": "Cureghem",
             "consent_date": "2025-02-01", "since": "2025-02-01"},
            {"name": "Asbl Ailleurs", "kind": "association", "neighbourhood": "Molenbeek"},
        ],
        by="amina",
    )  # fmt: skip
    house, shop, resident, far = made
    store.create_links(
        [
            {"source": house.id, "target": shop.id, "type": "KNOWS", "since": "2024-05-01",
             "strength": 2, "note": "-via la fête de quartier"},
            {"source": resident.id, "target": house.id, "type": "MEMBER_OF",
             "since": "2025-02-01"},
            {"source": far.id, "target": house.id, "type": "COLLABORATES_WITH"},
        ],
        by="amina",
    )  # fmt: skip
    store.save_positions({house.id: (0.0, 1.0), shop.id: (2.5, -1.0)})


def _content(data: bytes) -> Any:
    """What an export says, without a zip's or a workbook's timestamps."""
    if data[:2] != b"PK":
        return json.loads(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    if "[Content_Types].xml" not in archive.namelist():
        return {name: archive.read(name) for name in archive.namelist()}
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


@pytest.mark.parametrize(
    "fmt", [ExportFormat.csv, ExportFormat.xlsx, ExportFormat.kumu, ExportFormat.kumu_xlsx]
)
def test_each_format_round_trips_on_both_stores(
    store: GraphStore, tmp_path: Path, fmt: ExportFormat
) -> None:
    _neighbourhood(store)
    made = export(store, fmt)
    kept = state(store)
    # into the same store: nothing changes
    assert _unchanged(_import(store, made.data, made.filename))
    assert state(store) == kept
    # into an empty store: the same network, which exports the same again
    other = with_places(SqliteGraphStore(tmp_path / "other.db"))
    _import(other, made.data, made.filename)
    assert _content(export(other, fmt).data) == _content(made.data)
    again = export(other, fmt)
    assert _unchanged(_import(other, again.data, again.filename))
    other.close()


def test_gephi_reads_graphml_and_a_gexf_that_replays_the_growth(store: GraphStore) -> None:
    _neighbourhood(store)
    # networkx reads the file made for it (every link an arc; Gephi's marks undirected links)
    made = export(store, ExportFormat.graphml_directed)
    graphml = nx.read_graphml(io.BytesIO(made.data))
    assert made.filename.endswith(".directed.graphml")
    assert graphml.number_of_nodes() == 4 and graphml.number_of_edges() == 3
    fatima = next(d for _, d in graphml.nodes(data=True) if d["label"] == "Épicerie Chez Fatima")
    assert fatima["kind"] == "trader" and fatima["languages"] == "ar|fr"
    assert fatima["color"].startswith("#") and fatima["x"] == 2.5
    gexf_data = export(store, ExportFormat.gexf).data
    assert b'mode="dynamic"' in gexf_data and b'timeformat="date"' in gexf_data
    # GEXF is Gephi's (a mixed graph networkx refuses): read as the schema has it
    gexf = _gexf_read(gexf_data)
    assert len(gexf["nodes"]) == 4
    house = next(n for n in gexf["nodes"] if n["label"].startswith("Maison"))
    assert house["start"] == "2024-01-01" and house["y"] == "1.0"
    assert sorted(e.get("start", "") for e in gexf["edges"]) == [
        "2024-05-01", "2025-02-01", today().isoformat()]  # fmt: skip
    # on a date, the network of that date
    early = _gexf_read(export(store, ExportFormat.gexf, as_of=date(2024, 6, 1)).data)
    # the house (since January) and the shop (moved back to its first link, in May), linked;
    # the key resident (2025) and the actors recorded today are not there yet
    labels = sorted(n["label"] for n in early["nodes"])
    assert labels == ["Maison de Quartier Bonnevie", "Épicerie Chez Fatima"]
    assert len(early["edges"]) == 1


def _gexf_read(data: bytes) -> dict[str, list[dict[str, str]]]:
    """A GEXF file's nodes and edges: their XML attributes, and a node's viz position."""
    from lxml import etree

    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    root = etree.fromstring(data)
    nodes = []
    for node in root.iterfind(".//g:node", ns):
        found = dict(node.attrib)
        spot = node.find("viz:position", ns)
        if spot is not None:
            found.update(x=spot.get("x"), y=spot.get("y"))
        nodes.append(found)
    return {"nodes": nodes, "edges": [dict(e.attrib) for e in root.iterfind(".//g:edge", ns)]}


def test_exports_keep_to_what_the_reader_sees_and_forget_the_erased(
    sqlite_store: GraphStore,
) -> None:
    _neighbourhood(sqlite_store)
    only_cureghem = export(sqlite_store, ExportFormat.kumu, neighbourhood="Cureghem")
    names = {e["attributes"]["label"] for e in json.loads(only_cureghem.data)["elements"]}
    assert "Asbl Ailleurs" not in names and "Tante R." in names
    no_residents = export(sqlite_store, ExportFormat.kumu,
                          keep=lambda d: d["kind"] != "key_resident")  # fmt: skip
    assert b"Tante R." not in no_residents.data
    resident = next(a for a in sqlite_store.list_actors().items if a.name == "Tante R.")
    sqlite_store.erase_actor(resident.id, by="coordinator", reason="asked by the person")
    for fmt in ExportFormat:
        assert b"Tante R." not in export(sqlite_store, fmt).data, fmt
    # a CSV cell that looks like a formula is escaped, and comes back as it was
    archive = zipfile.ZipFile(io.BytesIO(export(sqlite_store, ExportFormat.csv).data))
    assert "youth|=cmd" in archive.read("actors.csv").decode()  # a list: not a formula start
    assert "'-via la fête de quartier" in archive.read("links.csv").decode()


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_a_file_is_planned_batch_by_batch_and_written_once_all_is_checked(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows are planned as they are read, a few at a time (so an import holds a batch,
    not the file), and handed to the store only once every row is checked: a bad row on the
    last line leaves nothing handed, nothing written, on both stores."""
    monkeypatch.setattr("ingest.plan.BATCH_ROWS", 2)
    handed: list[int] = []
    write = store.import_batches

    def counting(batches: Any, *, by: str) -> dict[str, int]:
        def each() -> Any:
            for batch in batches:
                handed.append(len(batch))
                yield batch

        return write(each(), by=by)

    monkeypatch.setattr(store, "import_batches", counting)
    actors = "".join(f"Asbl {i};association;Cureghem;;;2024-01-01\n" for i in range(7))
    links = "".join(f"Asbl {i},Asbl {i + 1},KNOWS,2,2025-01-10,\n" for i in range(6))
    data = _zip({"acteurs.csv": "Nom;Type;Quartier;Thèmes;Langues;Depuis\n" + actors,
                 "liens.csv": "De,Vers,Type de lien,Force,Depuis,Remarque\n" + links})  # fmt: skip
    kept = state(store)
    late = _zip({"acteurs.csv": "Nom;Type;Quartier;Thèmes;Langues;Depuis\n" + actors,
                 "liens.csv": "De,Vers,Type de lien,Force,Depuis,Remarque\n" + links
                 + "Asbl 0,Personne,KNOWS,2,2025-01-10,\n"})  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        _import(store, late, "carte.zip")
    assert refused.value.details["refused"][0]["row"] == 8
    assert handed == []  # six batches were planned before the bad row: none was written
    assert state(store) == kept
    handed.clear()
    report = _import(store, data, "carte.zip")
    assert report["written"] == {"actors_created": 7, "actors_updated": 0,
                                 "links_created": 6, "links_updated": 0}  # fmt: skip
    assert handed == [2, 2, 2, 2, 2, 2, 1]  # 13 records, two at a time
    assert store.list_actors(limit=100).total == 7
    assert _unchanged(_import(store, data, "carte.zip", dry_run=True))


def test_a_file_with_too_many_rows_is_refused_before_any_row_is_planned() -> None:
    """Counting rows is C-speed; planning them is not: a 500,001-row CSV is refused when it is
    read, before the planner sees a row (it used to be planned for 80 s, then refused)."""
    from ingest.readers import MAX_ROWS

    rows = "".join(f"Asbl {i};association\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(InvalidInput, match="more than 500000 rows"):
        read(("nom;type\n" + rows).encode(), "big.csv")
    just = "".join(f"Asbl {i};association\n" for i in range(MAX_ROWS))
    assert read(("nom;type\n" + just).encode(), "ok.csv").tables  # the cap itself is allowed


def test_a_belgian_excel_csv_reads_as_excel_wrote_it(sqlite_store: GraphStore) -> None:
    """French- and Dutch-speaking Excel saves 'CSV' with ';' in cp1252; a quote inside a field
    is doubled (RFC 4180): the text comes back exactly as typed (it was cut and the import
    said nothing)."""
    sheet = (
        "nom;type;quartier;description\n"
        'Café d\'Anvers;trader;Cureghem;"Le patron dit ""bonjour"", puis s\'en va"\n'
        'Œuvre des Pâtes € 2;association;Cureghem;"=cmd|"" /C calc""!A0"\n'
    ).encode("cp1252")
    _import(sqlite_store, sheet, "carte.csv")
    made = {a.name: a for a in sqlite_store.list_actors(limit=10).items}
    assert made["Café d'Anvers"].description == 'Le patron dit "bonjour", puis s\'en va'
    assert made["Œuvre des Pâtes € 2"].description == '=cmd|" /C calc"!A0'


def test_a_team_sheet_with_a_title_row_day_first_dates_and_decimal_commas(
    sqlite_store: GraphStore,
) -> None:
    """As teams keep them: a title and a blank row above the header, dates written day first,
    coordinates with decimal commas — in a ';' cp1252 CSV and in a workbook."""
    sheet = (
        "Carte du quartier — mise à jour de novembre;;;;\n"
        ";;;;\n"
        "nom;type;quartier;depuis;latitude;longitude\n"
        "Épicerie Œillet;trader;Cureghem;31/12/2024;50,8412;4,3087\n"
        "Club de pétanque;resident_group;Cureghem;1/2/25;;\n"
    ).encode("cp1252")
    report = _import(sqlite_store, sheet, "carte.csv")
    assert report["counts"]["created"]["actors"] == 2
    made = {a.name: a for a in sqlite_store.list_actors(limit=10).items}
    shop = made["Épicerie Œillet"]
    assert shop.since == date(2024, 12, 31) and shop.latitude == 50.8412
    assert made["Club de pétanque"].since == date(2025, 2, 1)
    # the same in a workbook, its title on row 1: rows are numbered as the sheet numbers them
    book = Workbook()
    rows = book.active
    assert rows is not None
    rows.title = "Acteurs"
    rows.append(["Carte du quartier"])
    rows.append(["nom", "type", "quartier", "depuis"])
    rows.append(["Repair café Veeweyde", "association", "Cureghem", "15/03/2025"])
    rows.append(["Dragon", "dragon", "Cureghem", "15/03/2025"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InvalidInput) as refused:
        _import(sqlite_store, buffer.getvalue(), "carte.xlsx")
    assert refused.value.details["refused"][0]["row"] == 4  # the dragon, on the sheet's row 4


def test_ended_links_import_once_with_or_without_ids(store: GraphStore) -> None:
    """An export made on a date holds ended links: importing it twice changes nothing the
    second time (it failed with a database error), the dry run says what the run does, and
    an ended link in a file without ids is found again by its ends, type and dates."""
    _neighbourhood(store)
    link = store.list_links(limit=10).items[0]
    store.end_link(link.id, date(2025, 3, 1), by="t")
    made = export(store, ExportFormat.csv, as_of=date(2025, 2, 15))
    for dry in (True, False, False):  # into the same store, as a team re-imports its file
        report = _import(store, made.data, made.filename, dry_run=dry)
        assert _created(report) == (0, 0), report["counts"]
    sheet = (
        "from,to,type,since,until\n"
        "Maison de Quartier Bonnevie,Épicerie Chez Fatima,INFORMS,2024-06-01,2024-09-01\n"
    )
    for _ in range(3):
        _import(store, sheet.encode(), "links.csv")
    informs = [x for x in store.history().edges(data=True) if x[2]["type"] == "INFORMS"]
    assert len(informs) == 1


def test_phones_email_and_website_come_in_from_a_spreadsheet_and_go_out_again(
    store: GraphStore,
) -> None:
    """A Belgian sheet's "Téléphone", "GSM", "E-mail" and "Site web" columns are kept (they
    were dropped), checked as a form checks them; the exports carry them and read back as
    the same actors, so importing an export changes nothing."""
    sheet = (
        "Nom;Type;Quartier;Téléphone;GSM;E-mail;Site web\n"
        "Maison médicale Le Noyer;acteur de santé;Cureghem;02/520 12 34 | 02 520 12 35 (fax);"
        "0470 12 34 56;accueil@lenoyer.be;www.lenoyer.be\n"
    )
    report = _import(store, sheet.encode(), "annuaire.csv")
    assert report["not_kept"] == []
    noyer = store.list_actors(limit=10).items[0]
    phones = [(p.label.value, p.number) for p in noyer.phones]
    assert phones == [("reception", "+3225201234"), ("fax", "+3225201235"),
                      ("mobile", "+32470123456")]  # fmt: skip
    assert (noyer.email, noyer.website) == ("accueil@lenoyer.be", "https://www.lenoyer.be")
    for fmt, name in ((ExportFormat.csv, "carte.zip"), (ExportFormat.xlsx, "carte.xlsx")):
        assert _unchanged(_import(store, export(store, fmt).data, name, dry_run=True)), fmt
    bad = "Nom;Type;Quartier;Téléphone\nPharmacie Bara;commerçant;Cureghem;12\n"
    with pytest.raises(InvalidInput) as refused:
        _import(store, bad.encode(), "annuaire.csv")
    assert "is not a phone number" in str(refused.value.details["refused"][0]["reason"])


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_spreadsheets_in_the_readers_language_import_back_the_same(
    demo_store: GraphStore, lang: str
) -> None:
    """A French or Dutch team opens its export in a Belgian Excel: ';' between cells, a
    byte-order mark, headers, sheet names, kinds, link types and the vocabulary's words in its
    language, dates as dates; imported back, nothing changes (on both stores)."""
    store = demo_store
    made = export(store, ExportFormat.csv, lang=lang)
    with zipfile.ZipFile(io.BytesIO(made.data)) as archive:
        names = sorted(archive.namelist())
        actors = archive.read(names[0])
    assert names == (
        ["acteurs.csv", "liens.csv"] if lang == "fr" else ["actoren.csv", "banden.csv"]
    )
    assert actors.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    header = actors.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("identifiant;nom;type" if lang == "fr" else "identificatie;naam;soort")
    body = actors.decode("utf-8-sig")
    assert ("santé" if lang == "fr" else "gezondheid") in body
    assert ("acteur de santé" if lang == "fr" else "zorgactor") in body
    assert ";health;" not in body and "|health" not in body
    book = load_workbook(io.BytesIO(export(store, ExportFormat.xlsx, lang=lang).data))
    first = book.worksheets[0]
    assert first.title == ("Acteurs" if lang == "fr" else "Actoren")
    dates = [c.value for row in first.iter_rows(min_row=2, max_row=20) for c in row
             if isinstance(c.value, date)]  # fmt: skip
    assert dates, "dates are date cells"
    links = book.worksheets[1]
    header = [c.value for c in next(links.iter_rows(max_row=1))]
    named = "de (nom)" if lang == "fr" else "van (naam)"
    assert header[1:4] == (["de", named, "vers"] if lang == "fr" else ["van", named, "naar"])
    first_link = [c.value for c in next(links.iter_rows(min_row=2, max_row=2))]
    assert store.get_actor(first_link[1]).name == first_link[2]  # the name beside the id
    for fmt, name in ((ExportFormat.csv, "carte.zip"), (ExportFormat.xlsx, "carte.xlsx")):
        again = _import(store, export(store, fmt, lang=lang).data, name, dry_run=True)
        assert _unchanged(again), (fmt, again["counts"])
        assert again["not_kept"] == []


def test_an_excel_97_workbook_is_read(store: GraphStore) -> None:
    """A real .xls (Excel 97–2003, made by xlwt: tests/ingest/data/make_xls.py), with a title
    row above the header, French words, a phone and dd/mm/yyyy date cells: read as an XLSX
    would be, and importing it again changes nothing."""
    data = (Path(__file__).parent / "data" / "annuaire-excel97.xls").read_bytes()
    report = _import(store, data, "annuaire.xls")
    assert _created(report) == (2, 1) and report["not_kept"] == []
    noyer = next(a for a in store.list_actors(limit=10).items if a.name.startswith("Maison"))
    assert noyer.kind.value == "health_actor" and noyer.themes == ["health", "mental health"]
    assert noyer.since == date(2023, 3, 1) and noyer.phones[0].number == "+3225201234"
    assert noyer.latitude == pytest.approx(50.8387)
    assert _unchanged(_import(store, data, "annuaire.xls", dry_run=True))
    broken = data[:512]  # the signature of an .xls, then nothing readable
    with pytest.raises(InvalidInput, match="not a readable Excel 97–2003 workbook"):
        _import(store, broken, "abîmé.xls")
