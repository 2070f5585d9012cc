"""Statistical sectors for the map: Statbel's boundaries (GeoJSON, tens of MB for all Belgium, in
Belgian Lambert 72 — EPSG:31370 — or Lambert 2008 — EPSG:3812) cut down to the sectors the
neighbourhoods name, reprojected to WGS 84 with pyproj, simplified for a phone with shapely;
and the figures a team has per sector (population, share over 65…) from a CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape

from graph.errors import InvalidInput, Say
from ingest.layout import words
from ingest.readers import MAX_FILE, _dialect, decode, refuse

#: the properties a sector's code and name are found in (Statbel's, then plainer ones)
CODE_KEYS = ("cd_sector", "cs01012020", "cs01012011", "cd_sector_id", "code", "sector", "secteur")
NAME_KEYS = ("tx_sector_descr_fr", "t_sec_fr", "tx_sector_descr_nl", "t_sec_nl", "name", "nom")
#: how far a simplified boundary may stray from the true one (degrees: about 3 m)
TOLERANCE = 0.00003


def _moved(project: Any, xy: Any) -> Any:
    """Coordinates (an n×2 array) through a pyproj transformation."""
    import numpy as np

    x, y = project(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def _crs(document: Mapping[str, Any], first: tuple[float, float] | None) -> int:
    """The EPSG code of the coordinates: the file's ``crs`` member, else their size."""
    named = str(((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    for code in (31370, 3812, 4326):
        if str(code) in named:
            return code
    if "CRS84" in named or first is None:
        return 4326
    x, y = first
    if abs(x) <= 180 and abs(y) <= 90:
        return 4326
    return 3812 if x > 400_000 else 31370  # Lambert 2008 is offset by 500 km


def _first_point(geometry: Any) -> tuple[float, float] | None:
    node = geometry.get("coordinates") if isinstance(geometry, Mapping) else None
    while isinstance(node, list) and node and isinstance(node[0], list):
        node = node[0]
    if isinstance(node, list) and len(node) >= 2:
        return float(node[0]), float(node[1])
    return None


def _property(properties: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    folded = {words(str(k)): v for k, v in properties.items()}
    for key in keys:
        value = folded.get(words(key))
        if value not in (None, ""):
            return str(value).strip()
    return None


def read_sectors(data: bytes, name: str, wanted: Iterable[str]) -> list[dict[str, Any]]:
    """The sectors of ``wanted`` (codes) found in a GeoJSON file, reprojected to WGS 84 and
    simplified: each ``{"code", "name", "geometry"}``. Others are left out."""
    if len(data) > MAX_FILE:
        raise refuse(Say("{name} is larger than {most} MB", name=name, most=MAX_FILE // 2**20))
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise refuse(Say("{name} is not GeoJSON: {problem}", name=name, problem=str(exc))) from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise refuse(Say("{name} is not a GeoJSON FeatureCollection", name=name))
    codes = {c.strip().upper() for c in wanted}
    first = next((_first_point(f.get("geometry")) for f in features if isinstance(f, dict)), None)
    epsg = _crs(document, first)
    project = Transformer.from_crs(epsg, 4326, always_xy=True).transform
    found: dict[str, dict[str, Any]] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties") or {}
        code = (_property(properties, CODE_KEYS) or "").upper()
        if code not in codes:
            continue
        try:
            boundary = shape(feature["geometry"])
            if epsg != 4326:
                boundary = shapely.transform(boundary, lambda xy: _moved(project, xy))
            simple = boundary.simplify(TOLERANCE, preserve_topology=True)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput(
                Say("{name}: feature {number} ({code}) has no readable boundary: {problem}",
                    name=name, number=number, code=code, problem=str(exc)),
                details=[{"field": "file", "message": Say("a boundary cannot be read")}],
            ) from exc  # fmt: skip
        if simple.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        geometry = _rounded(mapping(simple))
        found[code] = {"code": code, "name": _property(properties, NAME_KEYS),
                       "geometry": geometry}  # fmt: skip
    return [found[c] for c in sorted(found)]


def _rounded(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """Coordinates to six decimals (about 10 cm), as lists."""

    def walk(node: Any) -> Any:
        if isinstance(node, list | tuple) and node and isinstance(node[0], int | float):
            return [round(float(v), 6) for v in node]
        return [walk(n) for n in node]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def read_figures(data: bytes, name: str) -> dict[str, dict[str, float]]:
    """Figures per sector from a CSV: a column for the code ('sector', 'secteur', 'code'…),
    every other column a figure (numbers with a decimal comma or point; empty ones left out)."""
    text = decode(data, name)
    rows = list(csv.reader(io.StringIO(text, newline=""), _dialect(text, name)))
    if not rows:
        raise refuse(Say("{name} is empty", name=name))
    head = [words(h) for h in rows[0]]
    keys = [words(k) for k in ("sector", "secteur", "sector code", "code", "cd_sector")]
    column = next((head.index(k) for k in keys if k in head), None)
    if column is None:
        raise refuse(Say("{name}: no column holds the sector's code ('sector')", name=name))
    out: dict[str, dict[str, float]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        code = row[column].strip().upper()
        figures: dict[str, float] = {}
        for index, cell in enumerate(row):
            if index == column or index >= len(rows[0]) or not cell.strip():
                continue
            try:
                figures[rows[0][index].strip()] = float(cell.strip().replace(",", "."))
            except ValueError as exc:
                raise InvalidInput(
                    Say("{name}, row {row}: '{value}' is not a number", name=name, row=line,
                        value=cell),
                    details=[{"row": line, "field": rows[0][index], "message": Say("a number")}],
                ) from exc  # fmt: skip
        out[code] = figures
    return out


def import_sectors(
    store: Any, geojson: bytes, name: str, figures: bytes | None = None, figures_name: str = ""
) -> dict[str, Any]:
    """Each neighbourhood's sectors (those its ``sector_codes`` name) with their boundaries and
    figures, written on the neighbourhood through ``store`` (the reader's: a coordinator's).
    Nothing is written when the file is unreadable; sectors not found are said."""
    from graph.model import NeighbourhoodFilter

    places = store.list_neighbourhoods(NeighbourhoodFilter(), limit=1000).items
    wanted = {c for n in places for c in n.sector_codes}
    if not wanted:
        raise refuse(Say("no neighbourhood names its statistical sectors yet"))
    shapes = {s["code"]: s for s in read_sectors(geojson, name, wanted)}
    numbers = read_figures(figures, figures_name or "figures.csv") if figures else {}
    written: dict[str, int] = {}
    for place in places:
        mine = [
            {**shapes[c], "figures": numbers.get(c, {})} for c in place.sector_codes if c in shapes
        ]
        if mine:
            store.update_neighbourhood(place.id, {"sector_shapes": mine})
            written[place.name] = len(mine)
    return {"written": written, "missing": sorted(wanted - set(shapes))}
