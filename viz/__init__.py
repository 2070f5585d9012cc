"""Graph views for team meetings: pure functions from a graph (and an analysis result) to one
self-contained, offline HTML page built with pyvis and vis-network.

``api/views.py`` is the glue that reads a store; everything here is pure.
"""

from viz.layout import layout_positions
from viz.render import render, save
from viz.views import (
    MEASURES,
    View,
    bridging_view,
    ego_view,
    growth_view,
    isolation_view,
    neighbourhood_view,
    path_view,
)

__all__ = [
    "MEASURES",
    "View",
    "bridging_view",
    "ego_view",
    "growth_view",
    "isolation_view",
    "layout_positions",
    "neighbourhood_view",
    "path_view",
    "render",
    "save",
]
