"""Every Cypher statement of Maillage, in one module.

Values are always ``$parameters``. Labels and relationship types cannot be parameters, so they
come only from the enums (:class:`graph.model.EntityKind`, :class:`graph.model.LinkType`) through
the small builders below; nothing a user typed ever reaches a query's text.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from graph.entities import name_query
from graph.errors import InvalidInput
from graph.model import (
    ActivityFilter,
    ActorFilter,
    ActorKind,
    CrisisFilter,
    EntityKind,
    EventFilter,
    EventsOf,
    FollowUpFilter,
    LinkFilter,
    LinkType,
    NeighbourhoodFilter,
    ObservationFilter,
    ReferralFilter,
    Visibility,
    normalise_name,
    normalise_tag,
    today,
    utc_iso,
)

LABELS: dict[EntityKind, str] = {
    EntityKind.actor: "Actor",
    EntityKind.activity: "Activity",
    EntityKind.referral: "Referral",
    EntityKind.neighbourhood: "Neighbourhood",
    EntityKind.user: "User",
    EntityKind.token: "Token",
    EntityKind.throttle: "Throttle",
    EntityKind.follow_up: "FollowUp",
    EntityKind.observation: "Observation",
    EntityKind.crisis: "Crisis",
}
COUNTED = (
    EntityKind.actor,
    EntityKind.activity,
    EntityKind.referral,
    EntityKind.neighbourhood,
)

LINK_TYPES: tuple[str, ...] = tuple(t.value for t in LinkType)
_ALL_TYPES = "|".join(LINK_TYPES)


def label(entity: EntityKind) -> str:
    return LABELS[entity]


def kind_label(kind: str) -> str:
    """An actor's kind as its second label: ``health_actor`` → ``HealthActor`` (from the enum
    only, as every label here)."""
    return "".join(part.capitalize() for part in ActorKind(kind).value.split("_"))


#: the relationships that give a record its place in the network, besides the links
STRUCTURE = "IN|WITH|FROM|TO|CALLED"


def relate(entity: EntityKind) -> str:
    """What a node written from a row (``n``, ``row``) is related to: an actor and an activity
    to their neighbourhood (``IN``), an activity to its participants (``WITH``), a referral to
    its two ends (``FROM``, ``TO``). Unit subqueries: a missing end relates nothing."""
    place = (
        " CALL (n, row) { MATCH (h:Neighbourhood {name_norm: row.place}) CREATE (n)-[:IN]->(h) }"
    )
    if entity is EntityKind.actor:
        return place
    if entity is EntityKind.activity:
        return place + (
            " CALL (n, row) { UNWIND row.with AS p MATCH (a:Actor {id: p}) "
            "CREATE (n)-[:WITH]->(a) }"
        )
    if entity is EntityKind.crisis:
        return place + (
            " CALL (n, row) { UNWIND row.called AS p MATCH (a:Actor {id: p}) "
            "CREATE (n)-[:CALLED]->(a) }"
        )
    if entity is EntityKind.observation:
        return place + (
            " CALL (n, row) { UNWIND row.from AS p MATCH (a:Actor {id: p}) "
            "CREATE (n)-[:FROM]->(a) }"
        )
    if entity is EntityKind.referral:
        return (
            " CALL (n, row) { MATCH (a:Actor {id: row.from}) CREATE (n)-[:FROM]->(a) }"
            " CALL (n, row) { MATCH (b:Actor {id: row.to}) CREATE (n)-[:TO]->(b) }"
        )
    return ""


def rel_type(link_type: str) -> str:
    return LinkType(link_type).value


# --------------------------------------------------------------------------- schema


def schema_statements() -> list[str]:
    """Constraints and indexes, idempotent (``IF NOT EXISTS``)."""
    out = [
        "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT actor_natural_key IF NOT EXISTS "
        "FOR (n:Actor) REQUIRE n.natural_key IS UNIQUE",
        "CREATE CONSTRAINT activity_id IF NOT EXISTS FOR (n:Activity) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT referral_id IF NOT EXISTS FOR (n:Referral) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT neighbourhood_id IF NOT EXISTS "
        "FOR (n:Neighbourhood) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT neighbourhood_natural_key IF NOT EXISTS "
        "FOR (n:Neighbourhood) REQUIRE n.natural_key IS UNIQUE",
        "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE",
        "CREATE CONSTRAINT event_seq IF NOT EXISTS FOR (e:Event) REQUIRE e.seq IS UNIQUE",
        "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT token_id IF NOT EXISTS FOR (n:Token) REQUIRE n.id IS UNIQUE",
        # one node per key, even when two server processes write it at once (graph/neo4j_plans)
        "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE",
        "CREATE CONSTRAINT throttle_id IF NOT EXISTS FOR (n:Throttle) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT follow_up_id IF NOT EXISTS FOR (n:FollowUp) REQUIRE n.id IS UNIQUE",
        "CREATE CONSTRAINT observation_id IF NOT EXISTS FOR (n:Observation) REQUIRE n.id IS UNIQUE",
        "CREATE INDEX observation_place IF NOT EXISTS FOR (n:Observation) "
        "ON (n.neighbourhood_norm, n.date)",
        "CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name_norm)",
        "CREATE INDEX actor_kind IF NOT EXISTS FOR (n:Actor) ON (n.kind)",
        "CREATE INDEX actor_neighbourhood IF NOT EXISTS FOR (n:Actor) ON (n.neighbourhood_norm)",
        "CREATE INDEX referral_to IF NOT EXISTS FOR (n:Referral) ON (n.to_actor)",
        "CREATE INDEX event_entity IF NOT EXISTS FOR (e:Event) ON (e.entity_id)",
        "CREATE INDEX event_user IF NOT EXISTS FOR (e:Event) ON (e.user)",
        "CREATE INDEX actor_written_name IF NOT EXISTS FOR (n:Actor) ON (n.name)",
        "CREATE INDEX neighbourhood_name IF NOT EXISTS FOR (n:Neighbourhood) ON (n.name_norm)",
        "CREATE POINT INDEX actor_location IF NOT EXISTS FOR (n:Actor) ON (n.location)",
    ]
    for t in LINK_TYPES:
        low = t.lower()
        out.append(
            f"CREATE CONSTRAINT link_id_{low} IF NOT EXISTS "
            f"FOR ()-[r:{t}]-() REQUIRE r.id IS UNIQUE"
        )
        out.append(
            f"CREATE CONSTRAINT link_open_{low} IF NOT EXISTS "
            f"FOR ()-[r:{t}]-() REQUIRE r.active_key IS UNIQUE"
        )
    return out


# --------------------------------------------------------------------------- filters
# Filters become WHERE clauses with every value a $parameter (never in the text).


def node_where(f: BaseModel, params: dict[str, Any]) -> tuple[str, str]:
    conds: list[str] = []

    def add(cond: str, **values: Any) -> None:
        conds.append(cond)
        params.update(values)

    order = "n.id"
    if isinstance(f, ActorFilter):
        if f.kind:
            add("n.kind = $kind", kind=f.kind.value)
        if f.neighbourhood:
            add("n.neighbourhood_norm = $nb", nb=normalise_name(f.neighbourhood))
        if f.theme:
            add("$theme IN coalesce(n.themes, [])", theme=normalise_tag(f.theme))
        if f.language:
            add("$language IN coalesce(n.languages, [])", language=normalise_tag(f.language))
        if f.target_group:
            add("$tg IN coalesce(n.target_groups, [])", tg=normalise_tag(f.target_group))
        q = name_query(f.q)
        if q:
            add("n.name_norm CONTAINS $q", q=q)
        if f.status:
            add("n.status = $status", status=f.status.value)
        add(valid("n"), day=f.as_of or today())
        if f.restricted:
            conds.append(visible_actor("n", f, params))
        order = "n.name_norm, n.id"
    elif isinstance(f, ActivityFilter):
        if f.neighbourhood:
            add("n.neighbourhood_norm = $nb", nb=normalise_name(f.neighbourhood))
        if f.mission:
            add("n.mission = $mission", mission=f.mission.value)
        if f.actor:
            add("$actor IN coalesce(n.participants, [])", actor=f.actor)
        if f.start or f.end:  # held in a period: whatever day it is (never a retracted one)
            conds.append("n.since IS NOT NULL AND (n.until IS NULL OR n.until > n.since)")
            if f.start:
                add("n.since >= $start", start=f.start)
            if f.end:
                add("n.since <= $end", end=f.end)
        if f.as_of or not (f.start or f.end):
            add(valid("n"), day=f.as_of or today())
        if f.in_neighbourhoods is not None:
            add("n.neighbourhood_norm IN $visible_nbs", visible_nbs=list(f.in_neighbourhoods))
        order = "n.since DESC, n.id"
    elif isinstance(f, ReferralFilter):
        if f.from_actor:
            add("n.from_actor = $from_actor", from_actor=f.from_actor)
        if f.to_actor:
            add("n.to_actor = $to_actor", to_actor=f.to_actor)
        if f.theme:
            add("n.theme = $theme", theme=normalise_tag(f.theme))
        if f.outcome:
            add("n.outcome = $outcome", outcome=f.outcome.value)
        if f.start:
            add("n.date >= $start", start=f.start)
        if f.end:
            add("n.date <= $end", end=f.end)
        if f.in_neighbourhoods is not None:
            add(
                "EXISTS { MATCH (a:Actor) WHERE a.id IN [n.from_actor, n.to_actor] "
                "AND a.neighbourhood_norm IN $visible_nbs }",
                visible_nbs=list(f.in_neighbourhoods),
            )
        if f.key_residents_in is not None:  # no end may be a key resident the reader can't see
            add(
                "NOT EXISTS { MATCH (k:Actor) WHERE k.id IN [n.from_actor, n.to_actor] "
                "AND k.kind = 'key_resident' AND NOT k.neighbourhood_norm IN $kr_nbs }",
                kr_nbs=list(f.key_residents_in),
            )
        order = "n.date DESC, n.id"
    elif isinstance(f, FollowUpFilter):
        if f.taken_by:
            add("n.taken_by = $taken_by", taken_by=f.taken_by.casefold())
        if f.done is not None:
            add("n.done = $done", done=int(f.done))
        if f.neighbourhood:
            add("n.neighbourhood_norm = $nb", nb=normalise_name(f.neighbourhood))
        order = "n.done, n.id"
    elif isinstance(f, CrisisFilter):
        conds.append("(n.until IS NULL OR n.since IS NULL OR n.until > n.since)")
        if f.neighbourhood:
            add("n.neighbourhood_norm = $nb", nb=normalise_name(f.neighbourhood))
        if f.open is True:
            conds.append("n.until IS NULL")
        elif f.open is False:
            conds.append("n.until IS NOT NULL")
        if f.in_neighbourhoods is not None:
            add("n.neighbourhood_norm IN $visible_nbs", visible_nbs=list(f.in_neighbourhoods))
        order = "n.until IS NOT NULL, n.since DESC, n.id"
    elif isinstance(f, ObservationFilter):
        conds.append("n.retracted = 0")
        if f.neighbourhood:
            add("n.neighbourhood_norm = $nb", nb=normalise_name(f.neighbourhood))
        if f.kind:
            add("n.kind = $kind", kind=f.kind.value)
        if f.theme:
            add("n.theme = $theme", theme=normalise_tag(f.theme))
        if f.target_group:
            add("$tg IN coalesce(n.target_groups, [])", tg=normalise_tag(f.target_group))
        if f.sector:
            add("$sector IN coalesce(n.sectors, [])", sector=f.sector.strip().upper())
        if f.actor:
            add("$actor IN coalesce(n.sources, [])", actor=f.actor)
        if f.start:
            add("n.date >= $start", start=f.start)
        if f.end:
            add("n.date <= $end", end=f.end)
        if f.in_neighbourhoods is not None:
            add("n.neighbourhood_norm IN $visible_nbs", visible_nbs=list(f.in_neighbourhoods))
        order = "n.date DESC, n.id"
    elif isinstance(f, NeighbourhoodFilter):
        if f.municipality:
            add("n.municipality_norm = $municipality", municipality=normalise_name(f.municipality))
        add(valid("n"), day=f.as_of or today())
        order = "n.natural_key, n.id"
    else:
        raise InvalidInput(f"no filter of type {type(f).__name__}")
    return " AND ".join(conds) or "true", order


def event_where(f: EventFilter, params: dict[str, Any]) -> str:
    """The WHERE clause of an events query; fills ``params``."""
    conds: list[str] = []
    if f.actor:
        conds.append("$actor IN e.actors")
        params["actor"] = f.actor
    if f.entity_id:
        conds.append("e.entity_id = $entity_id")
        params["entity_id"] = f.entity_id
    if isinstance(f, EventsOf):
        conds.append("e.entity_id IN $entity_ids")
        params["entity_ids"] = list(f.entity_ids)
        if f.marks_only:  # ``after`` is compact JSON, where a quote in a text is escaped
            conds.append("(e.action = 'confirm' OR e.after CONTAINS '\"saturation\":{')")
    if f.entity:
        conds.append("e.entity = $entity")
        params["entity"] = f.entity.value
    if f.user:
        conds.append("e.user = $user")
        params["user"] = f.user
    if f.start:
        conds.append("e.at >= $start")
        params["start"] = utc_iso(f.start)
    if f.end:
        conds.append("e.at < $end")
        params["end"] = utc_iso(f.end)
    return " AND ".join(conds) or "true"


def visible_actor(var: str, f: Visibility, params: dict[str, Any]) -> str:
    """The condition on an actor node ``var`` that the reader may see it."""
    conds = []
    if f.in_neighbourhoods is not None:
        conds.append(f"{var}.neighbourhood_norm IN $visible_nbs")
        params["visible_nbs"] = list(f.in_neighbourhoods)
    if f.key_residents_in is not None:
        conds.append(f"({var}.kind <> 'key_resident' OR {var}.neighbourhood_norm IN $kr_nbs)")
        params["kr_nbs"] = list(f.key_residents_in)
    return " AND ".join(conds) or "true"


def link_where(f: LinkFilter, params: dict[str, Any]) -> str:
    """The WHERE clause of a links query (relationship ``r``); fills ``params``."""
    conds = [valid("r")]
    params["day"] = f.as_of or today()
    if f.type:
        conds.append("type(r) = $type")
        params["type"] = f.type.value
    if f.mission:
        conds.append("r.mission = $mission")
        params["mission"] = f.mission.value
    if f.recorded_by:
        conds.append("r.recorded_by = $recorded_by")
        params["recorded_by"] = f.recorded_by
    if f.actor:
        params["actor"] = f.actor
    if f.restricted:
        conds.append(visible_actor("s", f, params))
        conds.append(visible_actor("e", f, params))
    return " AND ".join(conds)


# --------------------------------------------------------------------------- nodes

VALID = "({v}.since IS NULL OR {v}.since <= $day) AND ({v}.until IS NULL OR {v}.until > $day)"


def valid(var: str) -> str:
    return VALID.format(v=var)


def get_node(entity: EntityKind) -> str:
    return f"MATCH (n:{label(entity)} {{id: $id}}) RETURN n.data AS data"


def get_nodes(entity: EntityKind) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label(entity)} {{id: i}}) RETURN n.data AS data"


def existing_nodes(entity: EntityKind) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label(entity)} {{id: i}}) RETURN collect(n.id) AS ids"


def find_node_by_key(entity: EntityKind) -> str:
    return f"MATCH (n:{label(entity)} {{natural_key: $key}}) RETURN n.data AS data"


def insert_nodes(entity: EntityKind) -> str:
    """Nodes from rows (``props``, ``labels``, and what :func:`relate` reads)."""
    return (
        f"UNWIND $rows AS row CREATE (n:{label(entity)}) SET n = row.props "
        f"SET n:$(row.labels) WITH n, row{relate(entity)} RETURN count(n) AS n"
    )


def replace_node(entity: EntityKind) -> str:
    """A node rewritten from ``$row``: its properties, its kind label, its relationships (the
    layout position is kept: it is not part of the record)."""
    own = label(entity)
    return (
        f"MATCH (n:{own} {{id: $id}}) "
        "WITH n, n.layout_x AS x, n.layout_y AS y, $row AS row "
        f"WITH n, x, y, row, [l IN labels(n) WHERE l <> '{own}'] AS old "
        "SET n = row.props SET n.layout_x = x, n.layout_y = y "
        "REMOVE n:$(old) SET n:$(row.labels) "
        f"WITH n, row CALL (n) {{ MATCH (n)-[r:{STRUCTURE}]->() DELETE r }}"
        f"{relate(entity)} RETURN count(n) AS n"
    )


def list_nodes(entity: EntityKind, where: str, order: str) -> tuple[str, str]:
    base = f"MATCH (n:{label(entity)}) WHERE {where}"
    return (
        f"{base} RETURN count(n) AS total",
        f"{base} RETURN n.data AS data ORDER BY {order} SKIP $offset LIMIT $limit",
    )


def all_nodes(entity: EntityKind) -> str:
    return f"MATCH (n:{label(entity)}) WHERE {valid('n')} RETURN n.data AS data ORDER BY n.id"


def lock_node(entity: EntityKind) -> str:
    """Setting and removing a property takes the node's write lock, held until the commit."""
    return f"MATCH (n:{label(entity)} {{id: $id}}) SET n.locked = true REMOVE n.locked"


def delete_nodes(entity: EntityKind) -> str:
    """Records that are forgotten, not ended (expired login counters)."""
    return f"MATCH (n:{label(entity)}) WHERE n.id IN $ids DETACH DELETE n"


def every_node(entity: EntityKind) -> str:
    return f"MATCH (n:{label(entity)}) RETURN n.data AS data ORDER BY n.id"


# --------------------------------------------------------------------------- links

GET_LINK = (
    "CALL () { "
    + " UNION ".join(f"MATCH ()-[r:{t} {{id: $id}}]->() RETURN r" for t in LINK_TYPES)
    + " } RETURN r.data AS data, type(r) AS type"
)

FIND_OPEN_LINK = (
    "CALL () { "
    + " UNION ".join(f"MATCH ()-[r:{t} {{active_key: $key}}]->() RETURN r" for t in LINK_TYPES)
    + " } RETURN r.data AS data"
)

GET_LINKS = (
    "UNWIND $ids AS i CALL (i) { "
    + " UNION ".join(f"MATCH ()-[r:{t} {{id: i}}]->() RETURN r" for t in LINK_TYPES)
    + " } RETURN r.data AS data"
)


def insert_links(link_type: str) -> str:
    t = rel_type(link_type)
    return (
        "UNWIND $rows AS row "
        "MATCH (s:Actor {id: row.source}) MATCH (e:Actor {id: row.target}) "
        f"CREATE (s)-[r:{t}]->(e) SET r = row.props RETURN count(r) AS n"
    )


def delete_link(link_type: str) -> str:
    return f"MATCH ()-[r:{rel_type(link_type)} {{id: $id}}]->() DELETE r"


def replace_link(link_type: str) -> str:
    t = rel_type(link_type)
    return f"MATCH ()-[r:{t} {{id: $id}}]->() SET r = $props RETURN count(r) AS n"


OPEN_LINKS_OF = (
    f"MATCH (a:Actor {{id: $id}})-[r:{_ALL_TYPES}]-() WHERE r.until IS NULL "
    "RETURN DISTINCT r.data AS data"
)

LINKS_TOUCHING = (
    f"UNWIND $ids AS i MATCH (a:Actor {{id: i}})-[r:{_ALL_TYPES}]-() WHERE {valid('r')} "
    "RETURN DISTINCT r.data AS data"
)

ALL_LINKS = (
    f"MATCH (:Actor)-[r:{_ALL_TYPES}]->(:Actor) WHERE {valid('r')} RETURN r.data AS data "
    "ORDER BY r.id"
)


EVERY_LINK = f"MATCH (:Actor)-[r:{_ALL_TYPES}]->(:Actor) RETURN r.data AS data ORDER BY r.id"


def around(ever: bool) -> tuple[str, str]:
    """Some actors (on ``$day``, or ``ever``) and the links touching them: what a kept
    whole-store graph reads again after writes that name those actors."""
    va, vr = ("true", "true") if ever else (valid("a"), valid("r"))
    return (
        f"UNWIND $ids AS i MATCH (a:Actor {{id: i}}) WHERE {va} RETURN a.data AS data",
        f"UNWIND $ids AS i MATCH (a:Actor {{id: i}})-[r:{_ALL_TYPES}]-(:Actor) WHERE {vr} "
        "RETURN DISTINCT r.data AS data",
    )


def in_scope(ever: bool) -> tuple[str, str, str]:
    """A neighbourhood's actors, the links touching them and the actors at their other ends
    (on ``$day``, or ``ever``): three statements, each answered from the neighbourhood index."""
    va, vr, vb = ("true", "true", "true") if ever else (valid("a"), valid("r"), valid("b"))
    home = f"MATCH (a:Actor {{neighbourhood_norm: $place}}) WHERE {va} "
    return (
        home + "RETURN a.data AS data ORDER BY a.id",
        home + f"MATCH (a)-[r:{_ALL_TYPES}]-(:Actor) WHERE {vr} "
        "WITH DISTINCT r ORDER BY r.id RETURN r.data AS data",
        f"UNWIND $ids AS i MATCH (b:Actor {{id: i}}) WHERE {vb} RETURN b.data AS data",
    )


# The count from the count store, the highest number from the index on ``seq``: two reads, not
# a scan of every event (`IS NOT NULL` lets the planner answer ``max`` from the index; without
# it the query read and sorted all 57,000 events of a 10,000-actor region, 30 ms a request).
EVENT_MARKS = (
    "CALL () { MATCH (e:Event) RETURN count(e) AS n } "
    "CALL () { MATCH (e:Event) WHERE e.seq IS NOT NULL RETURN max(e.seq) AS last } "
    "RETURN n, coalesce(last, 0) AS last"
)

EVENTS_AFTER = (
    "MATCH (e:Event) WHERE e.seq > $seq WITH e ORDER BY e.seq LIMIT $limit "
    "RETURN e.seq AS seq, e.id AS id, e.entity AS entity, e.before AS before, "
    "e.after AS after, coalesce(e.actors, []) AS actors"
)

PLACES_OF = (
    "UNWIND $ids AS i MATCH (a:Actor {id: i}) RETURN collect(DISTINCT a.neighbourhood_norm) "
    "AS places, count(a) AS known"
)

RING_PLACES_OF = (
    f"UNWIND $ids AS i MATCH (:Actor {{id: i}})-[:{_ALL_TYPES}]-(b:Actor) "
    "RETURN collect(DISTINCT b.neighbourhood_norm) AS places"
)


def list_links(where: str, by_actor: bool) -> tuple[str, str]:
    if by_actor:
        base = (
            f"MATCH (a:Actor {{id: $actor}})-[r:{_ALL_TYPES}]-() WITH DISTINCT r "
            f"MATCH (s)-[r]->(e) WHERE {where}"
        )
    else:
        base = f"MATCH (s:Actor)-[r:{_ALL_TYPES}]->(e:Actor) WHERE {where}"
    return (
        f"{base} RETURN count(r) AS total",
        f"{base} RETURN r.data AS data ORDER BY r.since, r.id SKIP $offset LIMIT $limit",
    )


# --------------------------------------------------------------------------- events


def _about(row: str) -> str:
    """An event related to the actors it concerns: ``(:Event)-[:ABOUT]->(:Actor)``. A link's
    events are written without it (:data:`INSERT_LINK_EVENTS`) and name their link by
    ``entity_id``: a relationship cannot be an end, and 100,000 links' events through this
    subquery slowed an import (bench/RESULTS.md)."""
    return (
        f" WITH e, {row} CALL (e, {row}) {{ UNWIND coalesce({row}.actors, []) AS aid "
        "MATCH (a:Actor {id: aid}) CREATE (e)-[:ABOUT]->(a) }"
    )


#: events of links (no ABOUT, see _about), then of every other record
INSERT_LINK_EVENTS = "UNWIND $rows AS row CREATE (e:Event) SET e = row"
INSERT_EVENTS = INSERT_LINK_EVENTS + _about("row")
_AND_EVENTS = " WITH count(*) AS made UNWIND $events AS event CREATE (e:Event) SET e = event"
#: events of an older shape related to their actors, ``$limit`` at a time
OLD_EVENTS = (
    "MATCH (e:Event) WHERE coalesce(e.shape, 1) < $version WITH e LIMIT $limit "
    "SET e.shape = $version WITH e CALL (e) { WITH e WHERE e.entity <> 'link' "
    "UNWIND coalesce(e.actors, []) AS aid "
    "MATCH (a:Actor {id: aid}) MERGE (e)-[:ABOUT]->(a) } RETURN count(e) AS n"
)


def insert_nodes_and_events(entity: EntityKind) -> str:
    """Records of one kind, then their events ($events), in one statement."""
    return insert_nodes(entity).rsplit(" RETURN ", 1)[0] + _AND_EVENTS + _about("event")


#: actors, then their events, in one statement, written only if every actor's neighbourhood
#: is recorded (else nothing at all: the caller then reads which one is not)
INSERT_PLACED_ACTORS_AND_EVENTS = (
    "WITH $rows AS rows "
    "WHERE all(r IN rows WHERE EXISTS { MATCH (:Neighbourhood {name_norm: r.place}) }) "
    + insert_nodes(EntityKind.actor)
    .rsplit(" RETURN ", 1)[0]
    .replace("UNWIND $rows AS row", "UNWIND rows AS row", 1)
    + _AND_EVENTS.replace(" AS made ", " AS made WHERE made = size($rows) ", 1)
    + _about("event")
)


def insert_links_and_events(link_type: str) -> str:
    """Links of one type, then their events ($events), in one statement."""
    return insert_links(link_type).rsplit(" RETURN ", 1)[0] + _AND_EVENTS


def list_events(where: str) -> tuple[str, str]:
    base = f"MATCH (e:Event) WHERE {where}"
    return (
        f"{base} RETURN count(e) AS total",
        collected(f"{base} RETURN e {{.*}} AS data ORDER BY e.seq SKIP $offset LIMIT $limit"),
    )


# --------------------------------------------------------------------------- housekeeping

COUNT_LABEL = {e: f"MATCH (n:{LABELS[e]}) RETURN count(n) AS n" for e in COUNTED}
COUNT_LINKS = f"MATCH (:Actor)-[r:{_ALL_TYPES}]->(:Actor) RETURN count(r) AS n"
COUNT_EVENTS = "MATCH (e:Event) RETURN count(e) AS n"
LAST_EVENT = EVENT_MARKS

# A restore that replaces the store: everything, in the restore's own transaction.
WIPE = "MATCH (n) DETACH DELETE n"

# Tests only: empty the database in batches, keeping constraints and indexes.
WIPE_BATCH = "MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(n) AS n"


# --------------------------------------------------------------------------- how names compare

#: the read statements the servers ran, with their parameters' types (graph/neo4j_plans.py)
PLANS = "MATCH (m:Meta {key: 'plans'}) RETURN m.statements AS statements"
SET_PLANS = "MERGE (m:Meta {key: 'plans'}) SET m.statements = $statements"


def explained(query: str) -> str:
    """``query`` planned and not run."""
    return f"EXPLAIN {query}"


NAMES_VERSION = "MATCH (m:Meta {key: 'names'}) RETURN m.version AS version"
SET_NAMES_VERSION = "MERGE (m:Meta {key: 'names'}) SET m.version = $version"


# --------------------------------------------------------------------------- the graph's shape

SHAPE_VERSION = "MATCH (m:Meta {key: 'shape'}) RETURN m.version AS version"
SET_SHAPE_VERSION = "MERGE (m:Meta {key: 'shape'}) SET m.version = $version"


def old_shape(entity: EntityKind) -> str:
    """Records still in an older shape than ``$version``, ``$limit`` at a time."""
    if entity is EntityKind.link:
        return (
            f"MATCH (:Actor)-[r:{_ALL_TYPES}]->(:Actor) WHERE coalesce(r.shape, 1) < $version "
            "RETURN r.data AS data LIMIT $limit"
        )
    return (
        f"MATCH (n:{label(entity)}) WHERE coalesce(n.shape, 1) < $version "
        "RETURN n.data AS data LIMIT $limit"
    )


# --------------------------------------------------------------------------- an import's journal

START_IMPORT = "CREATE (j:ImportJournal) SET j = $job"
TOUCH_IMPORT = "MATCH (j:ImportJournal {id: $id}) SET j.touched = $touched"
FINISH_IMPORT = "MATCH (j:ImportJournal {id: $id}) DELETE j"
UNFINISHED_IMPORTS = "MATCH (j:ImportJournal) RETURN j {.id, .user, .at, .touched} AS job"
IMPORT_EVENTS = (
    "MATCH (e:Event) WHERE e.user = $user AND e.at = $at "
    "RETURN e {.seq, .action, .entity, .entity_id, .before} AS event ORDER BY e.seq"
)
DROP_EVENTS = "UNWIND $seqs AS seq MATCH (e:Event {seq: seq}) DETACH DELETE e"
REMOVE_LINKS = "MATCH (:Actor)-[r]->(:Actor) WHERE r.id IN $ids DELETE r"
USED_ACTORS = (
    f"MATCH (a:Actor) WHERE a.id IN $ids AND (EXISTS {{ (a)-[:{_ALL_TYPES}]-() }} OR EXISTS {{ "
    "MATCH (f:Referral) WHERE f.from_actor = a.id OR f.to_actor = a.id }) RETURN a.id AS id"
)
# (what is left of an unused actor: its IN and its events' ABOUT)
REMOVE_ACTORS = "MATCH (a:Actor) WHERE a.id IN $ids DETACH DELETE a"


# --------------------------------------------------------------------------- layout positions

# as one collected list (the driver's cost is per record: 10,000 positions as rows took 0.3 s)
POSITIONS = (
    "MATCH (a:Actor) WHERE a.layout_x IS NOT NULL "
    "RETURN collect([a.id, a.layout_x, a.layout_y]) AS rows"
)
POSITIONS_OF = (
    "UNWIND $ids AS i MATCH (a:Actor {id: i}) WHERE a.layout_x IS NOT NULL "
    "RETURN collect([a.id, a.layout_x, a.layout_y]) AS rows"
)
#: what a server's start reads once (``Neo4jGraphStore.warm_up``): every actor's and link's
#: stored record, the stored layout and the actors' id index, counted on the server (nothing
#: sent), so a freshly started Neo4j has them in its page cache before the first page asks
TOUCH = (
    "MATCH (a:Actor) RETURN count(a.data) + count(a.layout_x) AS n",
    "MATCH (a:Actor) WHERE a.id >= '' RETURN count(a.id) AS n",
    f"MATCH (:Actor)-[r:{_ALL_TYPES}]->(:Actor) RETURN count(r.data) AS n",
)
FORGET_POSITIONS = "MATCH (a:Actor) WHERE a.layout_x IS NOT NULL REMOVE a.layout_x, a.layout_y"
SAVE_POSITIONS = (
    "UNWIND $rows AS r MATCH (a:Actor {id: r.id}) SET a.layout_x = r.x, a.layout_y = r.y"
)


# --------------------------------------------------------------------------- erasure

ERASE_ACTOR = (
    f"MATCH (a:Actor {{id: $id}}) OPTIONAL MATCH (a)-[r:{_ALL_TYPES}]-() "
    "WITH a, collect(r.id) AS links DETACH DELETE a RETURN links"
)
ERASE_REFERRALS = "MATCH (n:Referral) WHERE n.from_actor = $id OR n.to_actor = $id DETACH DELETE n"
CRISES_CALLING = "MATCH (n:Crisis) WHERE $id IN coalesce(n.call_actors, []) RETURN n.data AS data"
OBSERVATIONS_FROM = (
    "MATCH (n:Observation) WHERE $id IN coalesce(n.sources, []) RETURN n.data AS data"
)
ACTIVITIES_WITH = (
    "MATCH (n:Activity) WHERE $id IN coalesce(n.participants, []) + coalesce(n.initiators, []) "
    "RETURN n.data AS data"
)
SCRUB_EVENTS = (
    "MATCH (e:Event) WHERE $id IN e.actors OR e.entity_id IN $ids "
    "SET e.before = $gone, e.after = $gone"
)


def collected(query: str) -> str:
    """A read returning rows of ``data`` made to return them as one list, in its order."""
    return f"CALL () {{ {query} }} RETURN collect(data) AS data"
