"""Which statistical sector a point falls in (point in polygon, with shapely): an actor placed on
the map is kept with its sector, and the map counts by it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shapely.geometry import Point, shape

from graph.model import SectorShape


def boundaries(shapes: Sequence[SectorShape]) -> dict[str, Any]:
    """Each sector's boundary as a shapely geometry (built once for many points)."""
    return {s.code: shape(s.geometry.model_dump()) for s in shapes}


def sector_in(
    drawn: Mapping[str, Any], latitude: float | None, longitude: float | None
) -> str | None:
    """The sector of ``drawn`` (see :func:`boundaries`) holding the point, or None."""
    if latitude is None or longitude is None:
        return None
    point = Point(longitude, latitude)
    return next((code for code, boundary in drawn.items() if boundary.covers(point)), None)


def sector_at(
    shapes: Sequence[SectorShape], latitude: float | None, longitude: float | None
) -> str | None:
    """The code of the sector holding the point (on its edge counts), or None.

    >>> ring = [[4.0, 50.0], [4.1, 50.0], [4.1, 50.1], [4.0, 50.0]]
    >>> s = SectorShape(code="21001A01-", geometry={"type": "Polygon", "coordinates": [ring]})
    >>> sector_at([s], 50.02, 4.08), sector_at([s], 50.09, 4.01)
    ('21001A01-', None)
    """
    return sector_in(boundaries(shapes), latitude, longitude)
