"""Statistical sectors for the map, as Statbel publishes them: a GeoJSON excerpt in Belgian
Lambert 72 (EPSG:31370), kept to the sectors the neighbourhoods name, reprojected to WGS 84 and
simplified; a known point falls in its sector; figures per sector from a Belgian CSV."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from shapely.geometry import Point, shape

from graph.errors import InvalidInput
from graph.store import GraphStore
from ingest.sectors import import_sectors, read_figures, read_sectors

EXCERPT = Path(__file__).parent / "data" / "statbel-sectors-excerpt.geojson"
CODES = ["21001A01-", "21001A02-", "21001A11-", "21001B00-"]
#: places whose sector is known: the Clemenceau metro station, place Lemmens, the Abattoirs'
#: market hall, the quai de l'Industrie by the canal
KNOWN = {
    (50.8374, 4.3302): "21001A01-",
    (50.8394, 4.3215): "21001B00-",
    (50.8455, 4.3220): "21001A11-",
    (50.8452, 4.3300): "21001A02-",
}


def test_a_statbel_excerpt_in_lambert_72_becomes_wgs_84_sectors() -> None:
    data = EXCERPT.read_bytes()
    raw = orjson.loads(data)
    assert raw["crs"]["properties"]["name"].endswith("31370")
    x, y = raw["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 140_000 < x < 160_000 and 160_000 < y < 180_000  # metres, Lambert 72
    sectors = read_sectors(data, EXCERPT.name, CODES)
    assert [s["code"] for s in sectors] == CODES  # the Brussels sector left out
    points = len(raw["features"][0]["geometry"]["coordinates"][0][0])  # 21001A11-, surveyed
    kept = len(sectors[2]["geometry"]["coordinates"][0])  # 21001A11-, simplified
    assert kept < points / 20  # simplified for a phone
    boundaries = {s["code"]: shape(s["geometry"]) for s in sectors}
    for (lat, lon), code in KNOWN.items():
        inside = [c for c, b in boundaries.items() if b.contains(Point(lon, lat))]
        assert inside == [code], (lat, lon, inside)
    assert {s["name"] for s in sectors} >= {"CLEMENCEAU", "LEMMENS"}


def test_figures_and_bad_files() -> None:
    figures = read_figures("Secteur;Population;Part 65+\n21001a01-;7 400;0,11\n".replace(
        "7 400", "7400").encode("cp1252"), "chiffres.csv")  # fmt: skip
    assert figures == {"21001A01-": {"Population": 7400.0, "Part 65+": 0.11}}
    for bad in (b"not json", b'{"type": "Feature"}'):
        with pytest.raises(InvalidInput):
            read_sectors(bad, "x.geojson", CODES)
    with pytest.raises(InvalidInput):
        read_figures(b"Secteur;Population\n21001A01-;beaucoup\n", "x.csv")


def test_the_sectors_are_written_on_their_neighbourhood(store: GraphStore) -> None:
    place = next(n for n in store.list_neighbourhoods().items if n.name == "Cureghem")
    store.update_neighbourhood(place.id, {"sector_codes": [*CODES, "21001C99-"]}, by="setup")

    class AsCoordinator:  # the store as a coordinator's facade reaches it
        def __getattr__(self, name: str) -> object:
            method = getattr(store, name)
            if name == "update_neighbourhood":
                return lambda i, changes: method(i, changes, by="coordinator")
            return method

    done = import_sectors(AsCoordinator(), EXCERPT.read_bytes(), EXCERPT.name,
                          b"sector,population\n21001A01-,7400\n", "figures.csv")  # fmt: skip
    assert done == {"written": {"Cureghem": 4}, "missing": ["21001C99-"]}
    again = store.get_neighbourhood(place.id)
    assert [s.code for s in again.sector_shapes] == CODES
    assert again.sector_shapes[0].figures == {"population": 7400.0}
    assert again.sector_shapes[0].geometry.type in ("Polygon", "MultiPolygon")
