"""Writes statbel-sectors-excerpt.geojson: four statistical sectors of Anderlecht and one of
Brussels in the shape Statbel publishes them (a FeatureCollection in Belgian Lambert 72,
EPSG:31370, with its property names, boundaries densified to a point every few metres as a
surveyed boundary is), made from the demo's sector boundaries. Run once; the file is kept.

.venv/bin/python tests/ingest/data/make_statbel_excerpt.py
"""

from __future__ import annotations

import json
from pathlib import Path

from pyproj import Transformer
import shapely
from shapely.geometry import Polygon, mapping

from ingest.demo import spec

HERE = Path(__file__).parent
to_lambert = Transformer.from_crs(4326, 31370, always_xy=True).transform
FRENCH = {"21001A01-": "CLEMENCEAU", "21001A02-": "QUAI DE L'INDUSTRIE",
          "21001A11-": "ABATTOIR", "21001B00-": "LEMMENS"}  # fmt: skip
DUTCH = {"21001A01-": "CLEMENCEAU", "21001A02-": "NIJVERHEIDSKAAI",
         "21001A11-": "SLACHTHUIS", "21001B00-": "LEMMENS"}  # fmt: skip


def _moved(project, xy):  # type: ignore[no-untyped-def]
    import numpy as np

    x, y = project(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def feature(code: str, ring: list[list[float]], refnis: str, commune: str) -> dict:
    boundary = shapely.transform(Polygon(ring), lambda xy: _moved(to_lambert, xy))
    boundary = boundary.segmentize(4.0)  # a point every 4 m at most
    return {
        "type": "Feature",
        "properties": {
            "cd_sector": code,
            "tx_sector_descr_fr": FRENCH.get(code, "GRAND-PLACE"),
            "tx_sector_descr_nl": DUTCH.get(code, "GROTE MARKT"),
            "cd_munty_refnis": refnis,
            "tx_munty_descr_fr": commune,
            "ms_area_ha": round(boundary.area / 10_000, 2),
        },
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [[[[round(x, 2), round(y, 2)] for x, y in mapping(boundary)["coordinates"][0]]]],
        },
    }


def main() -> None:
    features = [feature(s["code"], s["ring"], "21001", "Anderlecht") for s in spec().sectors]
    grand_place = [[4.3510, 50.8460], [4.3535, 50.8460], [4.3535, 50.8475], [4.3510, 50.8475],
                   [4.3510, 50.8460]]  # fmt: skip
    features.append(feature("21004A00-", grand_place, "21004", "Bruxelles"))
    document = {
        "type": "FeatureCollection",
        "name": "sh_statbel_statistical_sectors_31370_20230101",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}},
        "features": features,
    }
    out = HERE / "statbel-sectors-excerpt.geojson"
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    print(out, out.stat().st_size)


if __name__ == "__main__":
    main()
