"""Who knows whom: an actor's ego network and the chains of introduction between two actors,
searched outward from both ends (bidirectional) instead of loading the whole network."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date
from typing import Any

import networkx as nx

from graph.entities import record_valid_on
from graph.errors import InvalidInput, NotFound, Say
from graph.model import (
    Actor,
    EgoNetwork,
    EgoNode,
    EntityKind,
    IntroductionPath,
    Link,
    PathHop,
)
from graph.records import RecordEngine
from graph.tx import ReadTx, Record

MAX_PATHS = 20
MAX_HOPS = 6  # longer chains of introductions are not proposed
MAX_PATH_CANDIDATES = 500


class WhoKnowsWhom(RecordEngine):
    """Ego networks and introduction paths, on any adapter."""

    def ego_network(
        self, actor_id: str, *, depth: int = 1, as_of: date | None = None
    ) -> EgoNetwork:
        if not 1 <= depth <= 3:
            raise InvalidInput(Say("'depth' must be 1, 2 or 3, not {depth}", depth=depth))
        centre = self._get(EntityKind.actor, actor_id, as_of)
        if as_of is None and not record_valid_on(centre, None):
            raise NotFound(
                Say(
                    "the actor '{id}' has ended on {until}",
                    id=actor_id,
                    until=date.fromisoformat(centre["until"]),
                )
            )

        def work(tx: ReadTx) -> EgoNetwork:
            distance: dict[str, int] = {actor_id: 0}
            actors: dict[str, Record] = {actor_id: centre}
            frontier = [actor_id]
            for level in range(1, depth + 1):
                links = tx.links_touching(frontier, as_of)
                candidates = {
                    end
                    for link in links
                    for end in (link["source"], link["target"])
                    if end not in distance
                }
                found = [
                    a
                    for a in tx.get_many(EntityKind.actor, sorted(candidates))
                    if record_valid_on(a, as_of)
                ]
                frontier = []
                for actor in found:
                    distance[actor["id"]] = level
                    actors[actor["id"]] = actor
                    frontier.append(actor["id"])
                if not frontier:
                    break
            members = set(distance)
            links = [
                link
                for link in tx.links_touching(sorted(members), as_of)
                if link["source"] in members and link["target"] in members
            ]
            unique_links = {link["id"]: link for link in links}
            nodes = [
                EgoNode(actor=Actor.model_validate(actors[i]), distance=d)
                for i, d in sorted(distance.items(), key=lambda kv: (kv[1], actors[kv[0]]["name"]))
            ]
            return EgoNetwork(
                center=actor_id,
                depth=depth,
                as_of=as_of,
                nodes=nodes,
                links=[Link.model_validate(unique_links[k]) for k in sorted(unique_links)],
            )

        return self._read(work)

    def introduction_paths(
        self, source: str, target: str, *, k: int = 3, as_of: date | None = None
    ) -> list[IntroductionPath]:
        """Up to ``k`` chains of introduction, shortest first.

        Links count in both directions (an introduction travels either way along a referral).
        Chains of the same length are ranked by their weakest link (stronger first), then by
        their total strength, then by the date of their stalest link (more recent first).
        """
        if not 1 <= k <= MAX_PATHS:
            raise InvalidInput(
                Say("'k' must be between 1 and {most}, not {k}", most=MAX_PATHS, k=k)
            )
        if source == target:
            raise InvalidInput(Say("source and target are the same actor"))
        ends = [
            self._get(EntityKind.actor, source, as_of),
            self._get(EntityKind.actor, target, as_of),
        ]
        return self._read(lambda tx: self._paths_around(tx, ends, k, as_of))

    def _paths_around(
        self, tx: ReadTx, ends: list[Record], k: int, as_of: date | None
    ) -> list[IntroductionPath]:
        """Introduction paths from the neighbourhoods of the two actors only.

        Grows a ball around each end, level by level, loading only the links of the actors
        reached (bidirectional search). Every actor on a chain of ``L`` hops lies within
        ``L // 2`` hops of one end, so once both balls reach that radius the local graph holds
        every chain of up to ``L`` hops, and ranking them there is exact. ``L`` grows from the
        shortest distance until ``k`` chains are found or ``MAX_HOPS`` is reached.
        """
        source, target = ends[0]["id"], ends[1]["id"]
        local = nx.MultiDiGraph()
        for record in ends:
            local.add_node(record["id"], **Actor.model_validate(record).model_dump())
        dist = {source: {source: 0}, target: {target: 0}}
        expanded = {source: 0, target: 0}  # radius whose actors' links are loaded, per side
        loaded: set[str] = set()

        def expand(side: str) -> None:
            radius = expanded[side]
            ring = [n for n, d in dist[side].items() if d == radius]
            fresh = [n for n in ring if n not in loaded]
            loaded.update(fresh)
            links = tx.links_touching(sorted(fresh), as_of) if fresh else []
            unknown = sorted(
                {e for link in links for e in (link["source"], link["target"])} - set(local)
            )
            for record in tx.get_many(EntityKind.actor, unknown):
                if record_valid_on(record, as_of):
                    local.add_node(record["id"], **Actor.model_validate(record).model_dump())
            for link in links:
                u, v = link["source"], link["target"]
                if u in local and v in local and not local.has_edge(u, v, key=link["id"]):
                    local.add_edge(u, v, key=link["id"], **Link.model_validate(link).model_dump())
            for node in ring:
                for neighbour in nx.all_neighbors(local, node):
                    dist[side].setdefault(neighbour, radius + 1)
            expanded[side] = radius + 1

        def shortest() -> int | None:
            meet = [dist[source][n] + dist[target][n] for n in dist[source] if n in dist[target]]
            return min(meet) if meet else None

        # Meet in the middle: grow the smaller ball until the two touch (or cannot grow).
        while shortest() is None:
            if expanded[source] + expanded[target] >= MAX_HOPS:
                return []
            growable = [
                side
                for side in (source, target)
                if any(d == expanded[side] for d in dist[side].values())
            ]
            if not growable:
                return []  # one ball is a whole component without the other end
            expand(min(growable, key=lambda side: len(dist[side])))
        first = shortest()
        if first is None:
            return []
        found: list[IntroductionPath] = []
        for hops in range(first, MAX_HOPS + 1):
            for side in (source, target):
                while expanded[side] <= hops // 2:
                    expand(side)
            found = rank_introduction_paths(local, source, target, k, max_hops=hops)
            if len(found) >= k:
                break
        return found


def _hop_score(data: Mapping[str, Any]) -> tuple[int, str]:
    since = data.get("since")
    return int(data["strength"]), since.isoformat() if since else ""


def rank_introduction_paths(
    graph: nx.MultiDiGraph, source: str, target: str, k: int, max_hops: int | None = None
) -> list[IntroductionPath]:
    """Rank the chains between two actors of a graph (see ``introduction_paths``), keeping
    only chains of at most ``max_hops`` links when it is given."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, data in graph.edges(data=True):
        pair = (u, v) if u <= v else (v, u)
        if pair not in best or _hop_score(data) > _hop_score(best[pair]):
            best[pair] = data
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from(best)
    if source not in simple or target not in simple or not nx.has_path(simple, source, target):
        return []
    candidates: list[tuple[tuple[Any, ...], list[str]]] = []
    kth_length: int | None = None
    for path in itertools.islice(
        nx.shortest_simple_paths(simple, source, target), MAX_PATH_CANDIDATES
    ):
        if kth_length is not None and len(path) > kth_length:
            break
        if max_hops is not None and len(path) - 1 > max_hops:
            break
        edges = [best[(a, b) if a <= b else (b, a)] for a, b in itertools.pairwise(path)]
        strengths = [int(h["strength"]) for h in edges]
        stalest = min((h["since"].toordinal() if h.get("since") else 0) for h in edges)
        key = (len(path), -min(strengths), -sum(strengths), -stalest, path)
        candidates.append((key, path))
        if len(candidates) == k:
            kth_length = len(path)
    candidates.sort(key=lambda c: c[0])
    result = []
    for _, path in candidates[:k]:
        hops = []
        for a, b in itertools.pairwise(path):
            data = best[(a, b) if a <= b else (b, a)]
            hops.append(
                PathHop(
                    source=a,
                    target=b,
                    link_id=data["id"],
                    type=data["type"],
                    strength=data["strength"],
                    since=data.get("since"),
                    recorded_by=data["recorded_by"],
                )
            )
        result.append(
            IntroductionPath(
                actors=path,
                names=[graph.nodes[n]["name"] for n in path],
                hops=hops,
                length=len(hops),
                weakest_strength=min(h.strength for h in hops),
            )
        )
    return result
