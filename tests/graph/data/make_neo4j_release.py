"""How ``neo4j-release-2026-11-30.json.gz`` was made: the raw graph (every node with its labels
and properties, every relationship with its type, ends and properties) of a Neo4j store written
by the release of 2026-11-30 (commit f163711 and before: an actor's fields in a JSON ``data``
property, no kind labels, no relationships but the links) — the demo with its users, saved
layout positions, a link ended and an actor edited. ``tests/graph/test_neo4j_shape.py`` loads it
into an empty server with plain Cypher and opens it with today's store, which migrates it.

Run from a checkout of that release: ``NEO4J_URI=bolt://… python tests/graph/data/make_neo4j_release.py OUT``.
"""

import gzip
import json
import os
import sys
from datetime import date


def main(path: str) -> None:
    import neo4j

    from api.security import hash_password
    from graph.neo4j_store import Neo4jGraphStore
    from ingest.demo import add_demo_users, load

    store = Neo4jGraphStore(os.environ["NEO4J_URI"])
    store.erase_everything(confirm="erase everything")
    load(store)
    add_demo_users(store, hash_password("maillage-demo", "", check=False))
    link = store.list_links(limit=1).items[0]
    store.end_link(link.id, date(2026, 6, 30), by="amina")
    actor = store.list_actors(limit=1).items[0]
    store.update_actor(actor.id, {"description": "Ouvert le samedi matin"}, by="joris")
    store.save_positions({a.id: (i * 10.0, i * -5.0) for i, a in
                          enumerate(store.list_actors(limit=20).items)})  # fmt: skip
    store.close()
    driver = neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=None)
    with driver.session() as session:
        nodes = [
            {"labels": sorted(r["labels"]), "props": dict(r["props"])}
            for r in session.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        ]
        rels = [
            {"type": r["type"], "start": r["start"], "end": r["end"], "props": dict(r["props"])}
            for r in session.run(
                "MATCH (s)-[r]->(e) RETURN type(r) AS type, s.id AS start, e.id AS end, "
                "properties(r) AS props"
            )
        ]
    driver.close()
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump({"nodes": nodes, "rels": rels}, out, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
