"""The network files read by the tools they are for: every GEXF export is valid against the
official GEXF 1.2draft schema (vendored in ``tests/ingest/data/gexf-1.2draft``) and keeps each
link's type as an attribute and its direction as GEXF says it; the GraphML for Gephi marks each
undirected link ``directed="false"``; the GraphML for networkx and igraph is read by both, every
link an arc with its direction as an attribute. On both stores."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

import igraph as ig
import networkx as nx
from lxml import etree

from graph.store import GraphStore
from ingest.demo import DEMO_END
from ingest.export import ExportFormat, export

SCHEMAS = Path(__file__).parent / "data" / "gexf-1.2draft"
GEXF = "{http://www.gexf.net/1.2draft}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
UNDIRECTED = {"KNOWS", "COLLABORATES_WITH", "PARTNER_OF"}


def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "gexf.xsd")))


def _without_viz(data: bytes) -> etree._Element:
    """The file as the schema is checked: the viz elements set aside (the 1.2draft viz
    schema rejects valid colours: shared/REFERENCES.md)."""
    root = etree.fromstring(data)
    for element in root.iter("{http://www.gexf.net/1.2draft/viz}*"):
        element.getparent().remove(element)
    return root


def _types(store: GraphStore) -> Counter[str]:
    return Counter(str(d["type"]) for *_, d in store.snapshot(DEMO_END).edges(data=True))


def test_every_gexf_export_is_valid_and_keeps_type_and_direction(demo_store: GraphStore) -> None:
    store = demo_store
    schema = _schema()
    for as_of in (None, DEMO_END, date(2025, 6, 1)):
        data = export(store, ExportFormat.gexf, as_of=as_of).data
        root = _without_viz(data)
        assert schema.validate(root), schema.error_log.last_error
        graph = root.find(f"{GEXF}graph")
        assert graph is not None and graph.get("name") is None
        assert graph.get("defaultedgetype") == "directed"
        assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"  # timeline
        titles = {a.get("id"): a.get("title") for a in root.iter(f"{GEXF}attribute")}
        for edge in root.iter(f"{GEXF}edge"):
            values = {titles[v.get("for")]: v.get("value") for v in edge.iter(f"{GEXF}attvalue")}
            kind = values["link_type"]
            assert edge.get("type") in (None, "undirected")
            assert (edge.get("type") == "undirected") == (kind in UNDIRECTED), kind
    # the demo's links, each once, with its type
    data = export(store, ExportFormat.gexf, as_of=DEMO_END).data
    root = _without_viz(data)
    titles = {a.get("id"): a.get("title") for a in root.iter(f"{GEXF}attribute")}
    kinds = Counter(
        next(
            v.get("value") for v in e.iter(f"{GEXF}attvalue") if titles[v.get("for")] == "link_type"
        )
        for e in root.iter(f"{GEXF}edge")
    )
    assert kinds == _types(store)


def test_the_graphml_for_gephi_marks_each_undirected_link(demo_store: GraphStore) -> None:
    store = demo_store
    root = etree.fromstring(export(store, ExportFormat.graphml, as_of=DEMO_END).data)
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    seen: Counter[str] = Counter()
    for edge in root.iter(f"{GRAPHML}edge"):
        values = {keys[d.get("key")]: d.text for d in edge.iter(f"{GRAPHML}data")}
        kind = str(values["link_type"])
        seen[kind] += 1
        assert (edge.get("directed") == "false") == (kind in UNDIRECTED), kind
    assert seen == _types(store) and any(k in UNDIRECTED for k in seen)


def test_the_graphml_for_networkx_and_igraph_is_read_by_both(
    demo_store: GraphStore, tmp_path: Path
) -> None:
    store = demo_store
    data = export(store, ExportFormat.graphml_directed, as_of=DEMO_END).data
    expected = _types(store)
    read = nx.read_graphml(io.BytesIO(data))
    assert read.is_directed() and read.is_multigraph()
    assert Counter(d["link_type"] for *_, d in read.edges(data=True)) == expected
    for *_, d in read.edges(data=True):
        assert d["directed"] == (d["link_type"] not in UNDIRECTED)
    names = {d["label"] for _, d in read.nodes(data=True)}
    assert "Mosquée Al-Hidaya" in names
    path = tmp_path / "maillage.directed.graphml"
    path.write_bytes(data)
    other = ig.Graph.Read_GraphML(str(path))
    assert other.is_directed() and other.ecount() == sum(expected.values())
    assert Counter(other.es["link_type"]) == expected
