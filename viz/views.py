"""The six graph views, as pure functions: a graph (a store snapshot or history), the stored
positions and, where it applies, an analysis result in; a :class:`View` out, which
:func:`viz.render.render` turns into one self-contained HTML page.

Nodes and links are built with pyvis (its ``Network`` and node/edge conventions, and the
vis-network 9.1.2 it bundles); the page itself is our own template (see ``viz/render.py``).
Its length (about 580 lines) is six views sharing one builder (``_Builder``) and its styling
helpers; each view function is short and reads on its own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import networkx as nx
from pyvis.network import Network
from pyvis.node import Node

from analysis.bridging import communities, membership
from analysis.centrality import betweenness
from analysis.graphs import simple_graph
from analysis.structural_holes import constraint
from graph.vocabulary import label
from viz.layout import Position
from viz.style import DIM, KIND_STYLE, LINK_STYLE, RING, colour_of, node_colour, plain_text
from viz.text import KINDS, LINKS, Lang, flag_reason, opportunity_reason, ui

Measure = Literal["degree", "betweenness", "constraint"]
MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "constraint")
SHOWCASE_FIELDS = ("themes", "languages", "target_groups", "kind")
COLLAPSE_ABOVE = 2000  # more actors than this: one node per community, opened on click
LABEL_MAX = 40
BASE_OPTIONS: dict[str, Any] = {
    # positions come from the server: no physics in the browser (see REFERENCES: 120 s at 1,000
    # nodes with physics on), straight edges and edges hidden while moving (first frame halved).
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "edges": {"smooth": False, "color": {"inherit": False}, "selectionWidth": 2},
    "nodes": {
        "font": {"size": 18, "strokeWidth": 4, "strokeColor": "#ffffff", "color": "#1b1b1b"},
        "borderWidth": 2,
        # labels grow with the node and appear as one zooms in (readable on a projector)
        "scaling": {
            "min": 10,
            "max": 42,
            "label": {"enabled": True, "min": 14, "max": 30, "drawThreshold": 10, "maxVisible": 30},
        },
    },
    "interaction": {
        "hideEdgesOnDrag": True,
        "hideEdgesOnZoom": True,
        "hover": True,
        "tooltipDelay": 120,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    },
}


@dataclass
class View:
    """Everything a view page shows, ready for the template."""

    view: str
    title: str
    subtitle: str
    lang: Lang
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    legend: list[dict[str, Any]]
    showcase: dict[str, list[tuple[str, str]]]  # field -> (value, its word)
    extra: dict[str, Any] = field(default_factory=dict)
    #: the looks links share (width, colour, dashes, arrows, hover text): a link names its
    #: ``look`` and the page puts them together, so a 10,000-actor region's page carries a few
    #: hundred looks instead of 47,000 copies (its data went from 19 to 12 MB)
    looks: list[dict[str, Any]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        """The data the page's script reads (one JSON block)."""
        return {
            "view": self.view,
            "nodes": self.nodes,
            "edges": self.edges,
            "looks": self.looks,
            "options": self.options,
            "legend": self.legend,
            "showcase": self.showcase,
            "text": ui(self.lang),
            "dim": DIM,
            **self.extra,
        }


# --------------------------------------------------------------------------- building blocks


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _tags(values: Iterable[Any] | None) -> list[str]:
    return list(_clean_tags(tuple(values or ())))


@lru_cache(maxsize=4096)
def _clean_tags(values: tuple[Any, ...]) -> tuple[str, ...]:
    """Tags as shown, once per set of tags: thousands of actors share a few hundred."""
    return tuple(plain_text(v, 80) for v in values)


@lru_cache(maxsize=4096)
def _words(key: str, codes: tuple[Any, ...], lang: Lang) -> str:
    """Tags in the reader's language, as one line of an actor's details."""
    return ", ".join(_clean_tags(tuple(label(key, c, lang) for c in codes)))


def _sizes(
    simple: nx.Graph, measure: Measure, known: Mapping[Any, float] | None = None
) -> dict[Any, float]:
    """Node sizes in pixels (12–42) from a measure; for constraint, the less constrained (the
    more of a broker) the larger. ``known``: the betweenness values, when already computed."""
    if simple.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        raw = {v: math.sqrt(d) for v, d in simple.degree()}
    elif measure == "betweenness":
        if known is not None:
            values = known
        else:
            values = betweenness(simple)["values"] if simple.number_of_edges() else {}
        raw = {v: math.sqrt(max(values.get(v, 0.0), 0.0)) for v in simple}
    elif measure == "constraint":
        found = constraint(simple, weight="weight") if simple.number_of_edges() else {}
        raw = {v: 1.0 - c if c == c else 0.0 for v, c in found.items()}  # NaN: isolated
        raw = {v: raw.get(v, 0.0) for v in simple}
    else:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    top = max(raw.values(), default=0.0) or 1.0
    return {v: 12.0 + 30.0 * r / top for v, r in raw.items()}


def _scale(positions: Mapping[Any, Position], nodes: Iterable[Any]) -> dict[Any, Position]:
    """Layout units to pixels: a square of about 55 px per actor on a side's square root."""
    chosen = {v: positions[v] for v in nodes if v in positions}
    if not chosen:
        return {}
    xs = sorted(p[0] for p in chosen.values())
    ys = sorted(p[1] for p in chosen.values())
    # the spread of the bulk of the actors (a few far isolates must not squeeze everyone)
    cut = len(xs) // 50
    extent = max(xs[-1 - cut] - xs[cut], ys[-1 - cut] - ys[cut]) or 1.0
    factor = max(400.0, 110.0 * math.sqrt(len(chosen))) / extent
    return {v: (round(x * factor, 1), round(y * factor, 1)) for v, (x, y) in chosen.items()}


def _details(data: Mapping[str, Any], lang: Lang) -> list[list[str]]:
    t = ui(lang)
    kind = str(data.get("kind", "other"))
    rows = [
        [t["name"], plain_text(data.get("name"))],
        [t["kind"], KINDS.get(kind, {}).get(lang, kind)],
    ]
    if data.get("subtype"):
        rows.append([t["subtype"], plain_text(label("subtypes", str(data["subtype"]), lang))])
    for key in ("themes", "languages", "target_groups"):
        if data.get(key):  # the vocabulary's words in the reader's language
            rows.append([t[key], _words(key, tuple(data[key]), lang)])
    if data.get("address"):
        rows.append([t["address"], plain_text(data["address"])])
    if data.get("since"):
        rows.append([t["since"], str(_day(data["since"]))])
    return rows


class _Network(Network):  # type: ignore[misc]
    """pyvis's directed ``Network`` with its ids in a set: pyvis looks each new node and both
    ends of each edge up in a list, which took 11 of the 13 s a 10,000-actor view took to build
    (bench/RESULTS.md). Nodes are made by pyvis's own ``Node``; edges are the dicts pyvis's
    ``Edge`` makes (its options with ``from``, ``to`` and ``arrows``), without a call each."""

    def __init__(self) -> None:
        super().__init__(directed=True, cdn_resources="in_line")
        self.known: set[Any] = set()

    def add_node(
        self,
        n_id: Any,
        label: Any = None,
        shape: str = "dot",
        color: Any = "#97c2fc",
        **options: Any,
    ) -> None:
        if n_id in self.known:
            return
        if "group" not in options:
            options["color"] = color
        node = Node(n_id, shape, label=label or n_id, font_color=self.font_color, **options)
        self.nodes.append(node.options)
        self.node_ids.append(n_id)
        self.node_map[n_id] = node.options
        self.known.add(n_id)

    def add_edge(self, source: Any, to: Any, **options: Any) -> None:
        self.add_edge_options(source, to, options)

    def add_edge_options(self, source: Any, to: Any, options: dict[str, Any]) -> None:
        """An edge as pyvis's ``Edge`` makes it (its ``options`` with ``from`` and ``to``), the
        options given as one dict: 47,000 keyword calls cost a 10,000-actor view 0.6 s."""
        if source not in self.known or to not in self.known:
            raise AssertionError(
                f"non existent node '{source if source not in self.known else to}'"
            )
        options["from"] = source
        options["to"] = to
        if "look" not in options:  # a shared look has its own arrows
            options.setdefault("arrows", "to")
        self.edges.append(options)


class _Builder:
    """Nodes and edges of one view, added through a pyvis Network."""

    def __init__(self, graph: nx.Graph, positions: Mapping[Any, Position], lang: Lang) -> None:
        self.graph = graph
        self.lang = lang
        self.net = _Network()
        self.pixels = _scale(positions, graph.nodes)
        self.reasons: dict[Any, list[str]] = {}
        self.rings: dict[Any, str] = {}
        self.looks: list[dict[str, Any]] = []  # shared by the links (View.looks)

    def add_nodes(
        self,
        nodes: Iterable[Any],
        sizes: Mapping[Any, float],
        **per_node: Mapping[Any, Any],
    ) -> None:
        for v in nodes:
            data = self.graph.nodes[v]
            kind = str(data.get("kind", "other"))
            _, shape, _ = KIND_STYLE.get(kind, ("", "dot", ""))
            name = plain_text(data.get("name", v))
            details = _details(data, self.lang)
            why = self.reasons.get(v, [])
            if why:
                details.append([ui(self.lang)["why"], "\n".join(why)])
            ring = self.rings.get(v)
            colour = node_colour(kind, ring)
            x, y = self.pixels.get(v, (0.0, 0.0))
            extra = {key: values[v] for key, values in per_node.items() if v in values}
            self.net.add_node(
                str(v),
                label=name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…",
                shape=shape,
                color=colour,
                x=x,
                y=y,
                physics=False,
                value=round(sizes.get(v, 14.0), 1),
                borderWidth=5 if ring else 2,
                name=name,
                kind=kind,
                themes=_tags(data.get("themes")),
                languages=_tags(data.get("languages")),
                target_groups=_tags(data.get("target_groups")),
                details=details,  # the page makes the hover text of them
                **extra,
            )

    def _word(self, key: str, value: str) -> str:
        if key == "kind":
            return KINDS.get(value, {}).get(self.lang, value)
        return label(key, value, self.lang)

    def add_links(self, edges: Iterable[tuple[Any, Any, Any, Mapping[str, Any]]]) -> None:
        t = ui(self.lang)
        looks: dict[tuple[str, int, date | None], int] = {}
        for u, v, key, data in edges:
            link_type = str(data.get("type", "KNOWS"))
            strength = int(data.get("strength") or 1)
            since = _day(data.get("since"))
            look = looks.get((link_type, strength, since))
            if look is None:  # the same few types, strengths and days over thousands of links
                style = LINK_STYLE.get(link_type, LINK_STYLE["KNOWS"])
                words = LINKS.get(link_type, {}).get(self.lang, link_type)
                title = f"{words}\n{t['strength']}: {strength}/3"
                if since:
                    title += f"\n{t['since']}: {since.isoformat()}"
                look = looks[(link_type, strength, since)] = len(self.looks)
                self.looks.append({
                    "width": 1.0 + 1.5 * (strength - 1),
                    "color": style["color"],
                    "dashes": style["dashes"],
                    "arrows": style.get("arrows", {"to": {"enabled": False}}),
                    "title": title,
                })  # fmt: skip
            options: dict[str, Any] = {"id": str(key), "look": look}
            until = _day(data.get("until"))
            if since:
                options["since_day"] = since.toordinal()
            if until:
                options["until_day"] = until.toordinal()
            self.net.add_edge_options(str(u), str(v), options)

    def view(
        self,
        view: str,
        title: str,
        subtitle: str,
        legend: list[dict[str, Any]],
        extra: dict[str, Any] | None = None,
    ) -> View:
        nodes, edges, *_ = self.net.get_network_data()
        showcase: dict[str, list[tuple[str, str]]] = {}
        for key in SHOWCASE_FIELDS:  # each value with its word in the reader's language
            values: set[str] = set()
            for n in nodes:
                found = n.get(key)
                values.update(found if isinstance(found, list) else [found] if found else [])
            said = {v: self._word(key, v) for v in values}
            showcase[key] = sorted(said.items(), key=lambda pair: pair[1].casefold())
        return View(
            view=view,
            title=title,
            subtitle=subtitle,
            lang=self.lang,
            nodes=nodes,
            edges=edges,
            options=BASE_OPTIONS,
            legend=legend,
            showcase=showcase,
            extra=extra or {},
            looks=self.looks,
        )


def _kind_legend(graph: nx.Graph, lang: Lang) -> list[dict[str, Any]]:
    present = {str(d.get("kind", "other")) for _, d in graph.nodes(data=True)}
    entries = []
    for kind, (colour, _, symbol) in KIND_STYLE.items():
        if kind in present:
            label = KINDS.get(kind, {}).get(lang, kind)
            entries.append({"symbol": symbol, "color": colour, "label": label})
    return entries


def _link_legend(
    links: Iterable[tuple[Any, Any, Any, Mapping[str, Any]]], lang: Lang
) -> list[dict[str, Any]]:
    """The legend of the link types among ``links`` (as :func:`_edges` gives them)."""
    present = {str(d.get("type")) for *_, d in links}
    entries = []
    for link_type, style in LINK_STYLE.items():
        if link_type in present:
            line = "dashed" if style["dashes"] else "solid"
            arrow = " →" if "arrows" in style else ""
            label = LINKS[link_type][lang] + arrow
            entries.append({"line": line, "color": style["color"], "label": label})
    return entries


def _ring_legend(keys: Iterable[str], lang: Lang) -> list[dict[str, Any]]:
    t = ui(lang)
    return [{"symbol": "◯", "color": RING[k], "label": t[k]} for k in keys]


def _subtitle(graph: nx.Graph, lang: Lang, as_of: date | None) -> str:
    t = ui(lang)
    where = graph.graph.get("neighbourhood")
    when = as_of.isoformat() if as_of else str(graph.graph.get("as_of", ""))
    parts = [plain_text(where)] if where else []
    if when:
        parts.append(f"{t['as_of']} {when}")
    parts.append(f"{graph.number_of_nodes()} {t['members']}")
    return " · ".join(parts)


def _edges(graph: nx.Graph) -> list[tuple[Any, Any, Any, Mapping[str, Any]]]:
    """Every link with an id unique in the view: the link id of a store snapshot, else one
    made of both ends and the key."""
    if not graph.is_multigraph():
        return [(u, v, f"{u}|{v}", d) for u, v, d in graph.edges(data=True)]
    succ = getattr(graph, "_succ", None)
    if type(succ) is dict:  # a graph of its own, not a view: its dicts read as networkx would
        # (the same order), five times faster than its edge view over a region's 47,000 links
        edges = [(u, v, k, d) for u, near in succ.items() for v, keys in near.items()
                 for k, d in keys.items()]  # fmt: skip
    else:
        edges = list(graph.edges(keys=True, data=True))
    if len({str(k) for _, _, k, _ in edges}) == len(edges):
        return edges
    return [(u, v, f"{u}|{v}|{k}", d) for u, v, k, d in edges]


def _collapse(
    simple: nx.Graph, builder: _Builder, sizes: Mapping[Any, float], lang: Lang
) -> dict[str, Any]:
    """Communities as single nodes (size = members) at the centre of their members, with one
    line per pair of linked communities; the page opens a community on click. Only these are
    drawn at first, so a large view opens as fast as a small one."""
    found = communities(simple, seed=1)
    member = membership(found)
    groups: dict[int, list[Any]] = {}
    for v, c in member.items():
        groups.setdefault(c, []).append(v)
    t = ui(lang)
    for c, members in sorted(groups.items()):
        leader = max(members, key=lambda v: (sizes.get(v, 0.0), str(v)))
        name = plain_text(simple.nodes[leader].get("name", leader))
        kind = str(simple.nodes[leader].get("kind", "other"))
        label = f"{name} +{len(members) - 1}"
        spots = [builder.pixels[v] for v in members if v in builder.pixels]
        x = sum(p[0] for p in spots) / len(spots) if spots else 0.0
        y = sum(p[1] for p in spots) / len(spots) if spots else 0.0
        builder.net.add_node(
            f"community:{c}",
            label=label,
            shape="dot",
            color=colour_of(kind),
            x=round(x, 1),
            y=round(y, 1),
            physics=False,
            value=round(12 + 4 * math.sqrt(len(members)), 1),
            group_of=c,
            details=[[t["name"], label], [t["members"], str(len(members))], ["", t["open_group"]]],
        )
    between: dict[tuple[int, int], int] = {}
    for u, v in simple.edges():
        a, b = sorted((member[u], member[v]))
        if a != b:
            between[(a, b)] = between.get((a, b), 0) + 1
    for (a, b), count in between.items():
        builder.net.add_edge(
            f"community:{a}",
            f"community:{b}",
            id=f"communities:{a}:{b}",
            width=round(1 + math.log2(count), 1),
            color="#9E9E9E",
            title=f"{count}",
            arrows={"to": {"enabled": False}},
            group_edge=True,
        )
    return {"collapse": True, "communities": len(groups), "membership": member}


# --------------------------------------------------------------------------- the views


def neighbourhood_view(
    graph: nx.Graph,
    positions: Mapping[Any, Position],
    *,
    measure: Measure = "degree",
    lang: Lang = "fr",
    as_of: date | None = None,
    collapse_above: int = COLLAPSE_ABOVE,
) -> View:
    """The whole neighbourhood: colour and shape by kind, size by ``measure``, link width by
    strength and style by type; above ``collapse_above`` actors, communities start collapsed.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", name="Asbl <b>Le Pont</b>", kind="association")
    >>> g.add_node("b", name="Pharmacie", kind="trader")
    >>> g.add_edge("a", "b", key="l1", type="KNOWS", strength=2)
    'l1'
    >>> v = neighbourhood_view(g, {"a": (0, 0), "b": (1, 1)}, lang="en")
    >>> [n["label"] for n in v.nodes]
    ['Asbl <b>Le Pont</b>', 'Pharmacie']
    >>> [e["label"] for e in v.legend]
    ['association', 'trader', 'know each other']
    """
    simple = simple_graph(graph)
    sizes = _sizes(simple, measure)
    builder = _Builder(graph, positions, lang)
    extra: dict[str, Any] = {}
    if graph.number_of_nodes() > collapse_above:
        extra = _collapse(simple, builder, sizes, lang)
        builder.add_nodes(graph.nodes, sizes, community=extra.pop("membership"))
    else:
        builder.add_nodes(graph.nodes, sizes)
    links = _edges(graph)
    builder.add_links(links)
    legend = _kind_legend(graph, lang) + _link_legend(links, lang)
    return builder.view(
        "neighbourhood", ui(lang)["neighbourhood"], _subtitle(graph, lang, as_of), legend, extra
    )


def ego_view(
    graph: nx.Graph,
    positions: Mapping[Any, Position],
    centre: Any,
    *,
    depth: int = 1,
    max_depth: int = 3,
    lang: Lang = "fr",
    as_of: date | None = None,
) -> View:
    """An actor's network up to ``max_depth`` steps, shown ``depth`` steps at first; the page
    grows and shrinks the focus one step at a time (+ and −)."""
    if centre not in graph:
        raise ValueError(f"the actor {centre!r} is not in this graph")
    if not 1 <= depth <= max_depth <= 3:
        raise ValueError("depth must be between 1 and max_depth, and max_depth at most 3")
    undirected = nx.Graph(graph)
    hops = nx.single_source_shortest_path_length(undirected, centre, cutoff=max_depth)
    part = graph.subgraph(hops)
    sizes = {v: 34.0 if v == centre else 26.0 - 4 * h for v, h in hops.items()}
    builder = _Builder(part, positions, lang)
    builder.rings[centre] = "centre"
    builder.add_nodes(part.nodes, sizes, hop=hops)
    links = _edges(part)
    builder.add_links(links)
    name = plain_text(graph.nodes[centre].get("name", centre))
    legend = _ring_legend(["centre"], lang) + _kind_legend(part, lang) + _link_legend(links, lang)
    title = f"{ui(lang)['ego']} {name}"
    # what each step shows, counted: the actor's own circle, not its whole component
    subtitles = {
        str(d): _subtitle(graph.subgraph(v for v, h in hops.items() if h <= d), lang, as_of)
        for d in range(1, max_depth + 1)
    }
    return builder.view(
        "ego",
        title,
        subtitles[str(depth)],
        legend,
        {"depth": depth, "max_depth": max_depth, "centre": str(centre), "subtitles": subtitles},
    )


def path_view(
    graph: nx.Graph,
    positions: Mapping[Any, Position],
    paths: Sequence[Sequence[Any]],
    *,
    lang: Lang = "fr",
    as_of: date | None = None,
) -> View:
    """Introduction chains between two actors: the actors on them, the links along them, each
    actor's tooltip saying which step it is."""
    if not paths:
        raise ValueError("no introduction path to show")
    on_path: dict[Any, list[str]] = {}
    pairs: set[tuple[Any, Any]] = set()
    for number, path in enumerate(paths, start=1):
        for step, v in enumerate(path):
            if v not in graph:
                raise ValueError(f"the actor {v!r} of path {number} is not in this graph")
            on_path.setdefault(v, []).append(f"{number}.{step}")
        pairs.update(itertools.pairwise(path))
    part = graph.subgraph(on_path)
    builder = _Builder(part, positions, lang)
    for v, steps in on_path.items():
        builder.rings[v] = "on_path"
        builder.reasons[v] = [", ".join(steps)]
    ends = {paths[0][0], paths[0][-1]}
    builder.add_nodes(part.nodes, {v: 34.0 if v in ends else 24.0 for v in part})
    builder.add_links(
        (u, v, k, d) for u, v, k, d in _edges(part) if (u, v) in pairs or (v, u) in pairs
    )
    shown = _ring_legend(["on_path"], lang) + _kind_legend(part, lang)
    legend = shown + _link_legend(_edges(part), lang)
    first, last = (plain_text(graph.nodes[v].get("name", v)) for v in (paths[0][0], paths[0][-1]))
    title = f"{ui(lang)['path']}: {first} → {last}"
    return builder.view("path", title, _subtitle(part, lang, as_of), legend)


def bridging_view(
    graph: nx.Graph,
    positions: Mapping[Any, Position],
    report: Mapping[str, Any],
    *,
    lang: Lang = "fr",
    as_of: date | None = None,
    between: Mapping[Any, float] | None = None,
) -> View:
    """Brokers (by betweenness) ringed and sized, suggested introductions drawn dashed between
    the two actors with the introducer ringed; the reason in the tooltips. ``between``: the
    betweenness values the report was made from (computed here otherwise)."""
    simple = simple_graph(graph)
    sizes = _sizes(simple, "betweenness", between)
    builder = _Builder(graph, positions, lang)
    for broker in report.get("brokers", {}).get("betweenness", []):
        if broker["id"] in graph:
            builder.rings[broker["id"]] = "broker"
    suggestions = [
        o
        for o in report.get("opportunities", [])
        if all(a["id"] in graph for a in o["actors"]) and o["introducer"]["id"] in graph
    ]
    names = {v: str(graph.nodes[v].get("name", v)) for v in graph.nodes}
    told = []
    for o in suggestions:
        shared = o.get("shared") or {}
        words = [label(field, c, lang) for field in ("themes", "target_groups", "languages")
                 for c in shared.get(field, [])]  # fmt: skip
        first, second = (names[x["id"]] for x in o["actors"])
        who = names[o["introducer"]["id"]]
        reason = plain_text(opportunity_reason(first, second, who, words, lang), 600)
        told.append(reason)
        builder.rings[o["introducer"]["id"]] = "introducer"
        for a in o["actors"]:
            builder.reasons.setdefault(a["id"], []).append(reason)
        builder.reasons.setdefault(o["introducer"]["id"], []).append(reason)
    builder.add_nodes(graph.nodes, sizes)
    links = _edges(graph)
    builder.add_links(links)
    for k, o in enumerate(suggestions):
        a, b = (x["id"] for x in o["actors"])
        builder.net.add_edge(
            str(a),
            str(b),
            id=f"suggested-{k}",
            width=3,
            color=RING["suggested"],
            dashes=[10, 8],
            arrows={"to": {"enabled": False}},
            title=told[k],
            suggested=True,
        )
    dashed = {"line": "dashed", "color": RING["suggested"], "label": ui(lang)["suggested"]}
    legend = [
        *_ring_legend(["broker", "introducer"], lang),
        dashed,
        *_kind_legend(graph, lang),
        *_link_legend(links, lang),
    ]
    extra = {"suggestions": len(suggestions)}
    return builder.view(
        "bridging", ui(lang)["bridging"], _subtitle(graph, lang, as_of), legend, extra
    )


def isolation_view(
    graph: nx.Graph,
    positions: Mapping[Any, Position],
    report: Mapping[str, Any],
    *,
    lang: Lang = "fr",
    as_of: date | None = None,
) -> View:
    """Isolated, single-link and single-point-of-failure actors ringed and enlarged, with the
    reason of each flag in their tooltip and details."""
    flags = ("isolated", "single_link", "single_point_of_failure")
    weight = {"isolated": 30.0, "single_point_of_failure": 18.0, "single_link": 17.0}
    builder = _Builder(graph, positions, lang)
    sizes = dict.fromkeys(graph.nodes, 14.0)
    for flag in reversed(flags):  # the strongest flag's ring wins
        for item in report.get(flag, []):
            if item["id"] in graph:
                builder.rings[item["id"]] = flag
                sizes[item["id"]] = max(sizes[item["id"]], weight[flag])
                other = item.get("through")
                reason = flag_reason(
                    flag, str(graph.nodes[item["id"]].get("name", item["id"])),
                    str(graph.nodes[other].get("name", other)) if other in graph else other, lang,
                )  # fmt: skip
                builder.reasons.setdefault(item["id"], []).append(plain_text(reason, 600))
    builder.add_nodes(graph.nodes, sizes)
    links = _edges(graph)
    builder.add_links(links)
    legend = _ring_legend(flags, lang) + _kind_legend(graph, lang) + _link_legend(links, lang)
    extra = {"flagged": sum(1 for v in graph if v in builder.rings)}
    return builder.view(
        "isolation", ui(lang)["isolation"], _subtitle(graph, lang, as_of), legend, extra
    )


def growth_view(
    history: nx.Graph,
    positions: Mapping[Any, Position],
    dates: Sequence[date],
    *,
    lang: Lang = "fr",
) -> View:
    """The network month by month: a date slider (and a replay button) shows the actors and
    links that were true on each date, every date on the same positions."""
    if not dates:
        raise ValueError("the growth view needs at least one date")
    builder = _Builder(history, positions, lang)
    days: dict[str, dict[Any, int | None]] = {"since_day": {}, "until_day": {}}
    for v, data in history.nodes(data=True):
        since, until = _day(data.get("since")), _day(data.get("until"))
        days["since_day"][v] = since.toordinal() if since else None
        days["until_day"][v] = until.toordinal() if until else None
    simple = simple_graph(history)
    builder.add_nodes(history.nodes, _sizes(simple, "degree"), **days)
    links = _edges(history)
    builder.add_links(links)
    steps = [{"day": d.toordinal(), "label": d.isoformat()} for d in sorted(dates)]
    legend = _kind_legend(history, lang) + _link_legend(links, lang)
    subtitle = f"{sorted(dates)[0].isoformat()} → {sorted(dates)[-1].isoformat()}"
    return builder.view("growth", ui(lang)["growth"], subtitle, legend, {"dates": steps})
