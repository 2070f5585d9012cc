"""A crisis list as the page, the API and the command line give it: every actor of the network
that reaches the crisis's public in its neighbourhood, nearest to the team first, each with its
phones and opening hours (the living directory), the chain of introductions from the team, and
the latest call to it (done, no answer, not yet)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from analysis.reach import bar_team_of, reach
from api.kept import KEPT
from api.scoped import ScopedStore
from graph.errors import NotFound
from graph.model import Actor, Call, Crisis, today


class CrisisRow(BaseModel):
    """One actor to call."""

    actor: Actor
    distance: int | None = Field(description="Introductions from the team (None: no chain)")
    chain: list[str] = Field(description="The names from the team to the actor")
    call: Call | None = Field(description="The latest call, if any")


class CrisisList(BaseModel):
    crisis: Crisis
    rows: list[CrisisRow]
    done: int
    no_answer: int
    not_yet: int


def crisis_list(store: ScopedStore, crisis: Crisis) -> CrisisList:
    """The actors to call for ``crisis`` (on the day it closed, if it did), called ones kept."""
    day = min(crisis.until or today(), today())
    graph = KEPT.graph(store, crisis.neighbourhood, day)
    team_actor = None if store.access.sees_everything else store.access.user.actor_id
    team = bar_team_of(graph, team_actor if team_actor in graph else None, crisis.neighbourhood)
    found = reach(graph, team, theme=crisis.theme, language=crisis.language,
                  target_group=crisis.target_group, neighbourhood=crisis.neighbourhood)  # fmt: skip
    calls = {c.actor: c for c in crisis.calls}
    order: list[tuple[str, int | None, list[str]]] = [
        (r["id"], r["distance"], list(r["names"])) for r in found["reached"]
    ] + [(u["id"], None, []) for u in found["unreached"]]
    order += [(a, None, []) for a in calls if a not in {o[0] for o in order}]  # called, gone since
    rows = []
    for actor_id, distance, chain in order:
        try:
            actor = store.get_actor(actor_id)
        except NotFound:
            continue
        rows.append(CrisisRow(actor=actor, distance=distance, chain=chain,
                              call=calls.get(actor_id)))  # fmt: skip
    states: dict[str, int] = {"done": 0, "no_answer": 0, "not_yet": 0}
    for row in rows:
        states[row.call.state.value if row.call else "not_yet"] += 1
    return CrisisList(crisis=crisis, rows=rows, **states)
