"""The neighbourhood on a map, as the page draws it: its statistical sectors (boundaries and
figures), its actors where they are (the sector each falls in, point in polygon), those without
a place, and what colours the sectors — actors per 1,000 inhabitants, a public nobody reaches,
the needs observed, the people referred, the isolated actors — with the numbers as a table."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from analysis.isolation import isolated_actors
from api.analyses import in_neighbourhood
from api.kept import KEPT
from api.scoped import ScopedStore
from graph.dates import add_months
from graph.model import (
    Neighbourhood,
    NeighbourhoodFilter,
    ObservationQuery,
    ReferralQuery,
    normalise_name,
    today,
)
from graph.sectors import boundaries, sector_in
from viz.style import KIND_STYLE, plain_text

MEASURES = ("density", "public", "needs", "referrals", "isolated")


def neighbourhood_of(store: ScopedStore, name: str | None) -> Neighbourhood | None:
    places = store.list_neighbourhoods(NeighbourhoodFilter(), limit=1000).items
    wanted = normalise_name(name) if name else None
    for place in places:
        if wanted is None or normalise_name(place.name) == wanted:
            return place
    return None


def map_data(
    store: ScopedStore,
    place: Neighbourhood,
    *,
    measure: str = "density",
    public: str | None = None,
    theme: str | None = None,
    actor: str | None = None,
    lines: bool = False,
    day: date | None = None,
) -> dict[str, Any]:
    """What the map page draws and its table lists (plain data, every text made plain)."""
    day = day or today()
    graph = in_neighbourhood(KEPT.graph(store, place.name, day), place.name)
    shapes = boundaries(place.sector_shapes)
    actors, placed_in = [], {}
    for node, data in graph.nodes(data=True):
        lat, lon = data.get("latitude"), data.get("longitude")
        sector = data.get("sector") or sector_in(shapes, lat, lon)  # kept, else from its point
        placed_in[node] = sector
        actors.append({
            "id": node, "name": plain_text(data.get("name")), "kind": str(data.get("kind")),
            "colour": KIND_STYLE.get(str(data.get("kind")), ("#BBBBBB",))[0],
            "lat": lat, "lon": lon, "sector": sector,
            "address": plain_text(data.get("address") or ""),
            "phones": [p.get("number") for p in data.get("phones") or [] if isinstance(p, dict)],
            "hours": list(data.get("hours") or []),
            "publics": list(data.get("target_groups") or []),
        })  # fmt: skip
    actors.sort(key=lambda a: a["name"].casefold())
    counts: Counter[str] = Counter()
    if measure == "public" and public:
        for a in actors:
            if a["sector"] and public in a["publics"]:
                counts[a["sector"]] += 1
    elif measure == "needs":
        since = add_months(day, -12)
        query = ObservationQuery(neighbourhood=place.name, theme=theme, start=since, end=day)
        for o in store.list_observations(query, limit=1000).items:
            if o.kind.value in ("need", "problem"):
                for code in o.sectors:
                    counts[code] += 1
    elif measure == "referrals":
        found = store.list_referrals(ReferralQuery(start=add_months(day, -12), end=day),
                                     limit=1000).items  # fmt: skip
        for r in found:
            if placed_in.get(r.to_actor):
                counts[str(placed_in[r.to_actor])] += r.count
    elif measure == "isolated":
        lonely = isolated_actors(graph, as_of=day)["isolated"]
        for a in lonely:
            if placed_in.get(a["id"]):
                counts[str(placed_in[a["id"]])] += 1
    else:
        for a in actors:
            if a["sector"]:
                counts[a["sector"]] += 1
    sectors = []
    for s in place.sector_shapes:
        value: float = counts.get(s.code, 0)
        population = s.figures.get("population")
        if measure == "density":
            value = round(1000 * value / population, 1) if population else 0.0
        sectors.append({"code": s.code, "name": plain_text(s.name or ""), "value": value,
                        "figures": dict(s.figures), "geometry": s.geometry.model_dump(),
                        "actors": sum(1 for a in actors if a["sector"] == s.code)})  # fmt: skip
    links = []
    if actor and actor in graph:
        here = next((a for a in actors if a["id"] == actor), None)
        for u, v in graph.to_undirected(as_view=True).edges(actor):
            other = next((a for a in actors if a["id"] == (v if u == actor else u)), None)
            if here and other and here["lat"] is not None and other["lat"] is not None:
                links.append(
                    {
                        "to": other["id"],
                        "name": other["name"],
                        "from_sector": here["sector"],
                        "to_sector": other["sector"],
                    }
                )
    reaching = []  # the links of every actor that reaches the public: where its people go
    if lines and measure == "public" and public:
        placed = {a["id"]: a for a in actors if a["lat"] is not None}
        for a in actors:
            if public not in a["publics"] or a["id"] not in placed:
                continue
            for u, v in graph.to_undirected(as_view=True).edges(a["id"]):
                other = v if u == a["id"] else u
                if other in placed and [other, a["id"]] not in reaching:
                    reaching.append([a["id"], other])
    return {
        "public_links": reaching,
        "neighbourhood": place.name,
        "measure": measure,
        "sectors": sectors,
        "actors": [a for a in actors if a["lat"] is not None],
        "unplaced": [a for a in actors if a["lat"] is None],
        "links": links,
        "actor": actor if actor and actor in graph else None,
    }
