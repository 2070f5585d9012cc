"""Exports, in the formats the field's other tools read: GraphML and GEXF for Gephi (kinds,
colours, positions; GEXF with the time intervals of since/until so Gephi's timeline replays the
growth), Kumu's JSON and workbook, our own CSV (a zip of actors.csv and links.csv) and XLSX
(the import layout: what is exported imports back unchanged), and the full JSON backup.

Every export is built from what the reader may see (``keep``: the access policy's test), on a
date or over the whole history; erased actors are gone from the store, so from every export.
A text cell a spreadsheet would run as a formula is escaped (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import networkx as nx

from graph.errors import InvalidInput, Say
from graph.model import normalise_name
from graph.store import NetworkReader
from graph.vocabulary import label
from ingest.layout import (
    ACTOR_COLUMNS,
    LINK_COLUMNS,
    LIST_FIELDS,
    LIST_SEPARATOR,
    phones_cell,
)
from viz.style import colour_of
from viz.text import KINDS, LINKS

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ACTOR_FIELDS = [f for f in ACTOR_COLUMNS if f != "mobile"]  # mobiles are among the phones
LINK_FIELDS = [f for f in LINK_COLUMNS if f != "direction"]
ENDS_NAMED = ("source_name", "target_name")  # written for a reader, beside the ends' ids


class ExportFormat(StrEnum):
    graphml = "graphml"  # for Gephi and yEd: each link with its own direction (a mixed graph)
    graphml_directed = "graphml-directed"  # for networkx and igraph: every link an arc, with
    # its direction kept as the attribute ``directed`` (they refuse a mixed graph)
    gexf = "gexf"  # for Gephi: its timeline (dynamic mode), each link with its own direction
    kumu = "kumu"  # Kumu's JSON
    kumu_xlsx = "kumu-xlsx"  # Kumu's workbook (Elements, Connections)
    csv = "csv"  # a zip of actors.csv and links.csv
    xlsx = "xlsx"  # the import layout (Actors, Links)
    json = "json"  # the full backup, events included


MEDIA = {
    ExportFormat.graphml: ("application/graphml+xml", "graphml"),
    ExportFormat.graphml_directed: ("application/graphml+xml", "directed.graphml"),
    ExportFormat.gexf: ("application/gexf+xml", "gexf"),
    ExportFormat.kumu: ("application/json", "kumu.json"),
    ExportFormat.kumu_xlsx: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "kumu.xlsx",
    ),
    ExportFormat.csv: ("application/zip", "csv.zip"),
    ExportFormat.xlsx: (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    ExportFormat.json: ("application/json", "backup.json"),
}


@dataclass
class Export:
    data: bytes
    media_type: str
    filename: str


def safe_cell(value: Any) -> Any:
    """A cell that a spreadsheet never runs as a formula: text starting with ``= + - @`` (or a
    tab, a return) gets a leading ``'``; numbers stay numbers, even negative ones. The import
    takes the ``'`` off again, so an export imports back unchanged.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell(-4.35), safe_cell("Café")
    ('\\'=HYPERLINK("http://x")', -4.35, 'Café')
    """
    if value is None or isinstance(value, bool | int | float | date):
        return value
    text = str(value)
    # a text that itself begins with quotes before a formula mark gets one more: the import
    # takes exactly one off, so every text comes back as it was
    return "'" + text if text.lstrip("'").startswith(FORMULA_START) else text


def _plain(value: Any) -> Any:
    """A field as one spreadsheet or XML value: lists joined by ``|``, dates as ISO text."""
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def _value(key: str, value: Any) -> Any:
    """A field of any shape as one attribute value: phones as a cell (``+3225201234 |
    +32470123456 (whatsapp)``), other structures (hours, conditions…) as compact JSON."""
    if key == "phones" and isinstance(value, list):
        return phones_cell(value)
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict) for v in value)
    ):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return _plain(value)


def network(
    store: NetworkReader,
    *,
    as_of: date | None = None,
    history: bool = False,
    neighbourhood: str | None = None,
    keep: Callable[[Mapping[str, Any]], bool] | None = None,
) -> nx.MultiDiGraph:
    """The part of the network an export shows: on ``as_of`` (or every date, ``history``),
    in one neighbourhood or all, only the actors ``keep`` lets through, and their links."""
    graph = store.history() if history else store.snapshot(as_of)
    wanted = normalise_name(neighbourhood) if neighbourhood else None
    chosen = [
        n
        for n, d in graph.nodes(data=True)
        if (wanted is None or normalise_name(d["neighbourhood"]) == wanted)
        and (keep is None or keep(d))
        and not (history and _retracted(d))
    ]
    part: nx.MultiDiGraph = graph.subgraph(chosen).copy()
    if history:
        part.remove_edges_from([(u, v, k) for u, v, k, d in part.edges(keys=True, data=True)
                                if _retracted(d)])  # fmt: skip
    return part


def _retracted(data: Mapping[str, Any]) -> bool:
    """A retracted record was true on no date: an export over time leaves it out."""
    since, until = data.get("since"), data.get("until")
    return since is not None and until is not None and until <= since


def _rows(graph: nx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    actors = [
        {
            "id": n,
            **{f: _plain(d.get(f)) for f in ACTOR_FIELDS if f not in ("id", "phones")},
            "phones": phones_cell(d.get("phones") or []) or None,
        }
        for n, d in sorted(graph.nodes(data=True), key=lambda x: str(x[1]["name"]))
    ]
    links = [
        {
            "id": k,
            **{f: _plain(d.get(f)) for f in LINK_FIELDS if f not in ("id", *ENDS_NAMED)},
            "source_name": graph.nodes[u].get("name"),  # names beside the ids, for a reader
            "target_name": graph.nodes[v].get("name"),
        }
        for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda x: str(x[2]))
    ]
    return actors, links


# --------------------------------------------------------------------------- formats


def _graphml(
    graph: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]], *, mixed: bool = True
) -> bytes:
    """GraphML with colours and positions. ``mixed``: each undirected link (KNOWS,
    COLLABORATES_WITH, PARTNER_OF) says ``directed="false"`` on its edge, as GraphML allows
    and Gephi reads; otherwise every link is an arc and its direction the attribute
    ``directed`` (networkx and igraph refuse a graph of both kinds). The link's type is the
    attribute ``link_type``, its label."""
    out = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        attrs = {k: _value(k, v) for k, v in d.items() if v not in (None, [], "")}
        attrs["label"] = d["name"]
        attrs["color"] = colour_of(str(d["kind"]))
        if n in positions:
            attrs["x"], attrs["y"] = positions[n]
        out.add_node(n, **attrs)
    undirected = []
    for u, v, k, d in graph.edges(keys=True, data=True):
        attrs = {a: _plain(b) for a, b in d.items() if b not in (None, [], "") and a != "type"}
        attrs["link_type"] = _plain(d["type"])
        attrs["directed"] = bool(d.get("directed"))
        out.add_edge(u, v, key=k, label=_plain(d["type"]), **attrs)
        if not d.get("directed"):
            undirected.append(str(d.get("id", k)))
    buffer = io.BytesIO()
    nx.write_graphml(out, buffer, encoding="utf-8")
    if not mixed:
        return buffer.getvalue()
    return _mark_undirected(buffer.getvalue(), "{http://graphml.graphdrawing.org/xmlns}edge",
                            "id", undirected, "directed", "false")  # fmt: skip


def _mark_undirected(
    data: bytes, tag: str, key: str, ids: Sequence[str], attribute: str, value: str
) -> bytes:
    """Set ``attribute=value`` on the edges whose ``key`` is one of ``ids`` (networkx writes
    one direction for a whole graph)."""
    import xml.etree.ElementTree as ET

    wanted = set(ids)
    for prefix, uri in (("", "http://graphml.graphdrawing.org/xmlns"),
                        ("", "http://www.gexf.net/1.2draft"),
                        ("viz", "http://www.gexf.net/1.2draft/viz")):  # fmt: skip
        ET.register_namespace(prefix, uri)
    root = ET.fromstring(data)  # noqa: S314 - our own output
    for edge in root.iter(tag):
        if edge.get(key) in wanted:
            edge.set(attribute, value)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def _rgb(colour: str) -> dict[str, int]:
    value = colour.lstrip("#")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16)}


def _gexf(graph: nx.MultiDiGraph, positions: Mapping[str, tuple[float, float]]) -> bytes:
    """GEXF with ``start``/``end`` from since/until (dynamic mode: Gephi's timeline), colours
    and positions in the ``viz`` namespace."""
    out = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        attrs = {
            k: _plain(v)
            for k, v in d.items()
            if v not in (None, [], "") and k not in ("since", "until")
        }
        attrs["label"] = d["name"]
        viz: dict[str, Any] = {"color": _rgb(colour_of(str(d["kind"])))}
        if n in positions:
            x, y = positions[n]
            viz["position"] = {"x": float(x), "y": float(y), "z": 0.0}
        attrs["viz"] = viz
        if d.get("since"):
            attrs["start"] = _plain(d["since"])
        if d.get("until"):
            attrs["end"] = _plain(d["until"])
        out.add_node(n, **attrs)
    for u, v, k, d in graph.edges(keys=True, data=True):
        attrs = {
            a: _plain(b)
            for a, b in d.items()
            if b not in (None, [], "") and a not in ("since", "until", "type")
        }
        # the link's type is an attribute; GEXF's own ``type`` is the direction: a directed
        # graph whose undirected links say so (the schema has no "mixed"; Gephi reads this)
        attrs["link_type"] = _plain(d["type"])
        attrs["label"] = _plain(d["type"])
        attrs["weight"] = float(d.get("strength") or 1)
        if not d.get("directed"):
            attrs["type"] = "undirected"
        if d.get("since"):
            attrs["start"] = _plain(d["since"])
        if d.get("until"):
            attrs["end"] = _plain(d["until"])
        out.add_edge(u, v, key=k, **attrs)
    buffer = io.BytesIO()
    nx.write_gexf(out, buffer, encoding="utf-8")
    # ``<graph>`` takes no ``name`` in the schema (networkx writes an empty one)
    return buffer.getvalue().replace(b' name=""', b"", 1)


def _kumu(graph: nx.MultiDiGraph) -> dict[str, Any]:
    actors, links = _rows(graph)
    elements = []
    for a in actors:
        attributes = {
            "label": a["name"],
            "element type": a["kind"],
            "description": a["description"],
            "tags": (a["themes"] or "").split(LIST_SEPARATOR) if a["themes"] else [],
            **{k: v for k, v in a.items() if k not in ("id", "name", "kind", "description",
                                                         "themes") and v not in (None, "")},
        }  # fmt: skip
        elements.append({"_id": a["id"], "attributes": attributes})
    connections = []
    for link in links:
        directed = graph.edges[link["source"], link["target"], link["id"]]["directed"]
        attributes = {
            "connection type": link["type"],
            **{k: v for k, v in link.items() if k in ("mission", "strength", "since", "until",
                                                       "note") and v not in (None, "")},
        }  # fmt: skip
        connections.append(
            {
                "_id": link["id"],
                "from": link["source"],
                "to": link["target"],
                "direction": "directed" if directed else "mutual",
                "attributes": attributes,
            }
        )
    return {"elements": elements, "connections": connections}


def _workbook(sheets: Iterable[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append([_xml_safe(safe_cell(v)) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xml_safe(value: Any) -> Any:
    """Text a workbook can hold: a control character recorded before they were refused
    becomes U+FFFD rather than breaking the whole file."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


#: the sheets' names and the headers' place in the columns' words, per language
SHEETS = {"en": ("Actors", "Links"), "fr": ("Acteurs", "Liens"), "nl": ("Actoren", "Banden")}
HEADER_AT = {"en": 0, "fr": 1, "nl": 2}
WORDS = {"themes": "themes", "languages": "languages", "target_groups": "target_groups",
         "subtype": "subtypes"}  # fmt: skip


def _said(field: str, value: Any, lang: str) -> Any:
    """A cell in the reader's language (the import takes the three languages back): kinds,
    link types and the vocabulary's words; dates as dates."""
    if value in (None, ""):
        return value
    if field in ("kind", "type"):
        said = {
            str(k): v for k, v in (KINDS if field == "kind" else LINKS).get(str(value), {}).items()
        }
        return said.get(lang, value)
    if field in WORDS:
        codes = str(value).split(LIST_SEPARATOR) if field != "subtype" else [str(value)]
        return LIST_SEPARATOR.join(label(WORDS[field], c, lang) for c in codes)
    if field in ("since", "until", "consent_date") and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _our_sheets(
    graph: nx.MultiDiGraph, lang: str = "en"
) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The import layout: headers, sheet names and words in ``lang`` (English: as stored)."""
    actors, links = _rows(graph)
    at = HEADER_AT[lang]
    actor_headers = [ACTOR_COLUMNS[f][at] for f in ACTOR_FIELDS]
    link_headers = [LINK_COLUMNS[f][at] for f in LINK_FIELDS]
    if lang != "en":
        actors = [{f: _said(f, a[f], lang) for f in ACTOR_FIELDS} for a in actors]
        links = [{f: _said(f, x[f], lang) for f in LINK_FIELDS} for x in links]
    actor_sheet, link_sheet = SHEETS[lang]
    return [
        (actor_sheet, actor_headers, [[a[f] for f in ACTOR_FIELDS] for a in actors]),
        (link_sheet, link_headers, [[link[f] for f in LINK_FIELDS] for link in links]),
    ]


def _kumu_sheets(graph: nx.MultiDiGraph) -> list[tuple[str, list[str], list[list[Any]]]]:
    blueprint = _kumu(graph)
    element_keys = [
        "label",
        "element type",
        "description",
        "tags",
        "neighbourhood",
        "subtype",
        "address",
        "languages",
        "target_groups",
        "status",
        "since",
        "until",
        "consent_date",
        "latitude",
        "longitude",
    ]
    elements = []
    for e in blueprint["elements"]:
        a = e["attributes"]
        row = [e["_id"]] + [
            LIST_SEPARATOR.join(a[k]) if k == "tags" else a.get(k) for k in element_keys
        ]
        elements.append(row)
    connection_keys = ["connection type", "mission", "strength", "since", "until", "note"]
    connections = [
        [c["from"], c["to"], c["direction"]]
        + [c["attributes"].get(k) for k in connection_keys]
        + [c["_id"]]
        for c in blueprint["connections"]
    ]
    return [
        ("Elements", ["ID", *(k.title() for k in element_keys)], elements),
        ("Connections", ["From", "To", "Direction", *(k.title() for k in connection_keys), "ID"],
         connections),
    ]  # fmt: skip


def _csv_zip(graph: nx.MultiDiGraph, lang: str = "en") -> bytes:
    """Two CSVs. In French or Dutch as a Belgian Excel opens them: ``;`` between cells, a
    byte-order mark (UTF-8), headers and words in the reader's language."""
    buffer = io.BytesIO()
    local = lang != "en"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for title, headers, rows in _our_sheets(graph, lang):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n" if local else "\n",
                                delimiter=";" if local else ",")  # fmt: skip
            writer.writerow(headers)
            writer.writerows([[safe_cell(_cell(v)) for v in row] for row in rows])
            body = text.getvalue().encode("utf-8-sig" if local else "utf-8")
            archive.writestr(f"{title.lower()}.csv", body)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def export(
    store: NetworkReader,
    fmt: ExportFormat,
    *,
    as_of: date | None = None,
    neighbourhood: str | None = None,
    keep: Callable[[Mapping[str, Any]], bool] | None = None,
    lang: str = "en",
) -> Export:
    """One export, as bytes with its media type and a file name. ``lang`` (fr, nl) writes the
    spreadsheets (csv, xlsx) in the reader's language; they import back the same."""
    if lang not in HEADER_AT:
        raise InvalidInput(Say("no language '{lang}': en, fr or nl", lang=lang))
    media, suffix = MEDIA[fmt]
    stamp = (as_of or date.today()).isoformat()
    filename = f"maillage-{stamp}.{suffix}"
    if fmt is ExportFormat.json:
        if keep is not None or neighbourhood or as_of:
            raise InvalidInput(
                Say("the JSON backup holds everything: it has no date, neighbourhood or filter")
            )
        data = json.dumps(store.backup(), ensure_ascii=False, default=str).encode("utf-8")
        return Export(data, media, filename)
    history = fmt is ExportFormat.gexf and as_of is None
    graph = network(store, as_of=as_of, history=history, neighbourhood=neighbourhood, keep=keep)
    positions = store.positions()
    if fmt is ExportFormat.graphml:
        data = _graphml(graph, positions)
    elif fmt is ExportFormat.graphml_directed:
        data = _graphml(graph, positions, mixed=False)
    elif fmt is ExportFormat.gexf:
        data = _gexf(graph, positions)
    elif fmt is ExportFormat.kumu:
        data = json.dumps(_kumu(graph), ensure_ascii=False, indent=1).encode("utf-8")
    elif fmt is ExportFormat.kumu_xlsx:
        data = _workbook(_kumu_sheets(graph))
    elif fmt is ExportFormat.xlsx:
        data = _workbook(_our_sheets(graph, lang))
    else:
        data = _csv_zip(graph, lang)
    return Export(data, media, filename)


def template() -> bytes:
    """The import template: both sheets with their headers (English, then French and Dutch
    under each in the notes row) and an example row each."""
    actors = [ACTOR_COLUMNS[f][0] for f in ACTOR_FIELDS]
    template_links = [f for f in LINK_FIELDS if f not in ENDS_NAMED]
    links = [LINK_COLUMNS[f][0] for f in template_links]
    example_actor = {
        "name": "Maison médicale Le Noyer", "kind": "health_actor", "neighbourhood": "Cureghem",
        "subtype": "medical house", "address": "Rue du Noyer 12, 1070 Anderlecht",
        "themes": "health|mental health", "languages": "fr|nl|ar", "since": "2025-03-01",
    }  # fmt: skip
    example_other = {"name": "Épicerie Chez Fatima", "kind": "trader",
                     "neighbourhood": "Cureghem", "languages": "ar|fr"}  # fmt: skip
    example_link = {"source": "Maison médicale Le Noyer", "target": "Épicerie Chez Fatima",
                    "type": "KNOWS", "mission": "networking", "strength": 2,
                    "since": "2025-04-15"}  # fmt: skip
    return _workbook(
        [
            ("Actors", actors, [[example_actor.get(f) for f in ACTOR_FIELDS],
                                [example_other.get(f) for f in ACTOR_FIELDS]]),
            ("Links", links, [[example_link.get(f) for f in template_links]]),
            ("Headers (ignore)", ["field", "English", "français", "Nederlands", "other words"],
             [[f, *h[:3], ", ".join(h[3:])] for f, h in {**ACTOR_COLUMNS, **LINK_COLUMNS}.items()]),
        ]
    )  # fmt: skip


__all__ = ["LIST_FIELDS", "Export", "ExportFormat", "export", "safe_cell", "template"]
