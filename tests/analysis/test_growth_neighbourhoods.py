"""Each neighbourhood's growth series, computed for all neighbourhoods at once, equals the
series of that neighbourhood alone (its actors and the links among them), on random histories."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.growth import growth

PLACES = ("Cureghem", "Anneessens", "Marolles")
KINDS = ("association", "trader", "health_actor")
START = date(2025, 1, 1)


def _day(offset: int | None) -> date | None:
    return None if offset is None else START + timedelta(days=offset)


@st.composite
def histories(draw: st.DrawFn) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    n = draw(st.integers(1, 14))
    for i in range(n):
        since = draw(st.integers(-30, 200))
        until = draw(st.one_of(st.none(), st.integers(since + 1, 400)))
        g.add_node(
            f"a{i}",
            name=f"Actor {i}",
            kind=draw(st.sampled_from(KINDS)),
            neighbourhood=draw(st.sampled_from(PLACES)),
            since=_day(since),
            until=_day(until),
        )
    for k in range(draw(st.integers(0, 30))):
        u, v = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        since = draw(st.integers(-30, 250))
        until = draw(st.one_of(st.none(), st.integers(since + 1, 400)))
        g.add_edge(
            f"a{u}",
            f"a{v}",
            key=f"l{k}",
            since=_day(since),
            until=_day(until),
            recorded_by=draw(st.sampled_from(("amina", "joris"))),
            mission=draw(st.sampled_from(("networking", "community"))),
        )
    return g


def _close(one: list[dict[str, object]], two: list[dict[str, object]]) -> None:
    assert len(one) == len(two)
    for a, b in zip(one, two, strict=True):
        assert a.keys() == b.keys()
        for key in a:
            if key == "average_clustering":  # summed in another order: equal to 1e-6
                assert abs(float(a[key]) - float(b[key])) <= 1.01e-6, (key, a, b)  # type: ignore[arg-type]
            else:
                assert a[key] == b[key], (key, a, b)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_each_neighbourhood_series_is_that_of_the_neighbourhood_alone(g: nx.MultiDiGraph) -> None:
    found = growth(g, start=START, end=date(2025, 10, 1), by_neighbourhood=True)
    places = {str(d["neighbourhood"]) for _, d in g.nodes(data=True)}
    assert set(found["neighbourhoods"]) == places
    for place in places:
        alone = g.subgraph([n for n, d in g.nodes(data=True) if d["neighbourhood"] == place])
        expected = growth(alone, start=START, end=date(2025, 10, 1), by_neighbourhood=False)
        _close(found["neighbourhoods"][place], expected["overall"])
