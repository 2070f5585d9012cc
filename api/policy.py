"""Who may do what: one access policy, applied to every route through one dependency
(:func:`api.deps.access` gives each route an :class:`Access`).

- admin: reads and writes everything, users included;
- coordinator: every neighbourhood; neighbourhoods themselves; users except admins;
- bar: reads the directory of every neighbourhood, key residents of their team's neighbourhood
  only; writes actors of their team's neighbourhood, links with one end there, activities and
  referrals there;
- viewer: reads their team's neighbourhood only; writes nothing.

The audit log is read by coordinators and admins, and by each user for their own writes. A
user's neighbourhood is the one of the BAR team actor the user is attached to (``actor_id``).
Moving an actor to another neighbourhood needs the right to write in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import networkx as nx
from fastapi import HTTPException

from graph.errors import NotFound, Say
from graph.model import (
    ActorKind,
    EgoNetwork,
    IntroductionPath,
    Role,
    User,
    Visibility,
    normalise_name,
    now,
)
from graph.store import GraphStore

V = TypeVar("V", bound=Visibility)

# The policy as the README states it (a test checks the README holds this very table, and the
# matrix test in tests/api/test_access_matrix.py checks every cell on both stores).
POLICY_TABLE = """
| role | reads | writes |
| --- | --- | --- |
| admin | everything | everything, users included; erasure and subject access; imports and backups |
| coordinator | every neighbourhood, the whole audit log | every neighbourhood; neighbourhoods; users except admins; erasure and subject access; imports and backups |
| bar | the directory of every neighbourhood; key residents of their team's neighbourhood only; their own writes in the audit log | actors of their team's neighbourhood (moving one needs both), links with one end there, activities, observations, crisis lists, referrals and follow-ups there |
| viewer | their team's neighbourhood only (directory, network, paths, reach, figures), never a key resident | nothing |
| any user without a team | nothing beyond their own account, until a coordinator attaches them to a BAR team | nothing |

A key resident is reachable only from its own neighbourhood: no link, referral, activity,
observation or follow-up joins it to an actor of another neighbourhood, and a record the reader may not see
answers exactly as an unknown id does (404).
"""

MANAGERS = (Role.coordinator, Role.admin)
UNDO_WINDOW = timedelta(days=1)


def forbidden(message: str) -> HTTPException:
    return HTTPException(403, message)


@dataclass(frozen=True)
class Access:
    """A user and the neighbourhood(s) they work in, with every rule of the policy."""

    user: User
    neighbourhoods: frozenset[str]  # normalised names of the user's team's neighbourhood(s)
    team_label: str | None = None  # the neighbourhood as written, for messages

    # ------------------------------------------------------------------ who they are
    @property
    def role(self) -> Role:
        return self.user.role

    @property
    def sees_everything(self) -> bool:
        return self.role in MANAGERS

    @property
    def manages_users(self) -> bool:
        return self.role in MANAGERS

    # ------------------------------------------------------------------ reading
    @property
    def has_team(self) -> bool:
        return bool(self.neighbourhoods)

    @property
    def reads_nothing(self) -> bool:
        """A user without a team sees nothing beyond their own account until a coordinator
        attaches them."""
        return not self.sees_everything and not self.has_team

    def may_read_in(self, neighbourhood: str) -> bool:
        """The directory of a neighbourhood: every one for managers and BAR workers with a
        team; their own for viewers; none without a team."""
        if self.sees_everything:
            return True
        if self.reads_nothing:
            return False
        if self.role is Role.viewer:
            return normalise_name(neighbourhood) in self.neighbourhoods
        return True

    def may_see_actor(self, actor: Any) -> bool:
        """An actor record (a model or a mapping with ``kind`` and ``neighbourhood``). A key
        resident is seen by its own neighbourhood's BAR team, coordinators and admins only:
        never by viewers (external partners)."""
        kind = _field(actor, "kind")
        neighbourhood = str(_field(actor, "neighbourhood"))
        if not self.may_read_in(neighbourhood):
            return False
        if str(kind) == ActorKind.key_resident.value and not self.sees_everything:
            return self.role is Role.bar and normalise_name(neighbourhood) in self.neighbourhoods
        return True

    def visibility(self) -> dict[str, list[str] | None]:
        """What the store should show this reader (see :class:`graph.model.Visibility`)."""
        if self.sees_everything:
            return {"in_neighbourhoods": None, "key_residents_in": None}
        own = sorted(self.neighbourhoods)
        if self.reads_nothing:
            return {"in_neighbourhoods": [], "key_residents_in": []}
        if self.role is Role.viewer:
            return {"in_neighbourhoods": own, "key_residents_in": []}
        return {"in_neighbourhoods": None, "key_residents_in": own}

    def scoped(self, filters: Any, model: type[V]) -> V:
        """A route's query as the store's filter, with what this reader may see."""
        return model(**{**filters.model_dump(), **self.visibility()})

    def visible_graph(self, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """A snapshot with only the actors this reader may see (and the links among them): a
        read-only view (a copy took 0.6 s at 10,000 actors, more than the walk it feeds)."""
        if self.sees_everything:
            return graph
        keep = [n for n, d in graph.nodes(data=True) if self.may_see_actor(d)]
        part: nx.MultiDiGraph = graph.subgraph(keep)
        return part

    def visible_ego(self, ego: EgoNetwork) -> EgoNetwork:
        if self.sees_everything:
            return ego
        nodes = [n for n in ego.nodes if self.may_see_actor(n.actor)]
        seen = {n.actor.id for n in nodes}
        links = [link for link in ego.links if link.source in seen and link.target in seen]
        return ego.model_copy(update={"nodes": nodes, "links": links})

    def visible_paths(
        self, store: GraphStore, paths: Iterable[IntroductionPath]
    ) -> list[IntroductionPath]:
        """Introduction chains through actors this reader may see only."""
        kept = []
        for path in paths:
            actors = [store.get_actor(a) for a in path.actors]
            if all(self.may_see_actor(a) for a in actors):
                kept.append(path)
        return kept

    def check_events(self, user_filter: str | None) -> str | None:
        """The audit log: everything for managers; otherwise one's own writes only."""
        if self.sees_everything:
            return user_filter
        if user_filter is not None and user_filter.casefold() != self.user.name.casefold():
            raise forbidden(Say("you read the history of your own writes; coordinators read all"))
        return self.user.name

    # ------------------------------------------------------------------ writing
    def may_write_in(self, neighbourhood: str) -> bool:
        if self.sees_everything:
            return True
        if self.role is Role.bar:
            return normalise_name(neighbourhood) in self.neighbourhoods
        return False

    def check_writer(self) -> None:
        if self.role is Role.viewer:
            raise forbidden(Say("the role 'viewer' can read but not write"))
        if self.role is Role.bar and not self.neighbourhoods:
            raise forbidden(
                Say(
                    "your user is not attached to a BAR team, so it writes in no neighbourhood: "
                    "ask a coordinator to attach it"
                )
            )

    def check_write_in(self, *neighbourhoods: str, what: str = "this") -> None:
        """Every neighbourhood given must be writable (moving an actor: both)."""
        self.check_writer()
        for neighbourhood in neighbourhoods:
            if not self.may_write_in(neighbourhood):
                raise forbidden(
                    Say(
                        "you write in your own team's neighbourhood ({team}), and {what} is in "
                        "{neighbourhood}",
                        team=self.team_label,
                        what=what,
                        neighbourhood=neighbourhood,
                    )
                )

    def check_write_either(self, *neighbourhoods: str, what: str) -> None:
        """At least one end writable (links, referrals)."""
        self.check_writer()
        if not any(self.may_write_in(n) for n in neighbourhoods):
            raise forbidden(
                Say(
                    "{what} must have one end in your team's neighbourhood ({team})",
                    what=what,
                    team=self.team_label,
                )
            )

    def check_coordinator(self, what: str) -> None:
        if not self.sees_everything:
            raise forbidden(Say("only coordinators and admins {what}", what=what))

    def _outside(self, what: str) -> str:
        if self.role is Role.viewer:
            return Say(
                "{what} is outside your neighbourhood ({team})", what=what, team=self.team_label
            )
        return Say(
            "{what} is a key resident of another neighbourhood: only its team sees it", what=what
        )


def _field(record: Any, name: str) -> Any:
    if isinstance(record, dict):
        return record.get(name)
    return getattr(record, name)


def access_of(user: User, store: GraphStore) -> Access:
    """The user's access: their team's neighbourhood comes from the team actor."""
    if user.actor_id:
        try:
            team = store.get_actor(user.actor_id)
        except NotFound:
            team = None
        if team is not None:
            return Access(user, frozenset({normalise_name(team.neighbourhood)}), team.neighbourhood)
    return Access(user, frozenset())


# --------------------------------------------------------------------------- per resource


def neighbourhood_of_actor(store: GraphStore, actor_id: str) -> str:
    return store.get_actor(actor_id).neighbourhood


def check_actor_write(
    access: Access, store: GraphStore, current: Any | None, changes: dict[str, Any]
) -> None:
    """Creating, changing or ending an actor: its neighbourhood (before and after)."""
    places = []
    if current is not None:
        places.append(str(_field(current, "neighbourhood")))
    if changes.get("neighbourhood"):
        places.append(str(changes["neighbourhood"]))
    access.check_write_in(*places, what=Say("this actor"))


def check_link_write(access: Access, store: GraphStore, source: str, target: str) -> None:
    ends = [neighbourhood_of_actor(store, a) for a in (source, target)]
    access.check_write_either(*ends, what=Say("a link"))


def check_referral_write(access: Access, store: GraphStore, source: str, target: str) -> None:
    ends = [neighbourhood_of_actor(store, a) for a in (source, target)]
    access.check_write_either(*ends, what=Say("a referral"))


# --------------------------------------------------------------------------- guards


class Guard:
    """The policy of writing one kind of record: who may create, change, end and undo it.
    Reading is the facade's (``api/scoped.py``): a hidden record answers as an unknown id."""

    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        access.check_writer()

    def change(self, access: Access, store: GraphStore, record: Any, changes: Any) -> None:
        self.create(access, store, record)

    def end(self, access: Access, store: GraphStore, record: Any) -> None:
        self.change(access, store, record, None)

    def undo(self, access: Access, store: GraphStore, record: Any, action: str) -> None:
        """Reopening or retracting: coordinators and admins, or within a day the user who
        made what is undone (who ended it, for a reopening; who recorded it, to retract)."""
        self.change(access, store, record, None)
        if access.sees_everything:
            return
        who, when = (
            (record.updated_by, record.updated_at)
            if action == "reopen"
            else (record.recorded_by, record.recorded_at)
        )
        mine = who is not None and who.casefold() == access.user.name.casefold()
        if not (mine and when is not None and now() - when <= UNDO_WINDOW):
            raise forbidden(
                Say("only a coordinator can reopen this; the user who ended it can within a day")
                if action == "reopen"
                else Say(
                    "only a coordinator can {action} this; the user who recorded it can within "
                    "a day",
                    action=action,
                )
            )


class ActorGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        check_actor_write(access, store, None, {"neighbourhood": data.neighbourhood})

    def change(self, access: Access, store: GraphStore, record: Any, changes: Any) -> None:
        moved = changes.model_dump(exclude_unset=True) if changes is not None else {}
        check_actor_write(access, store, record, moved)


class LinkGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        check_link_write(access, store, data.source, data.target)


class ActivityGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        access.check_write_in(data.neighbourhood, what=Say("this activity"))


class ObservationGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        access.check_write_in(data.neighbourhood, what=Say("this observation"))


class CrisisGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        access.check_write_in(data.neighbourhood, what=Say("this crisis list"))


class ReferralGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        check_referral_write(access, store, data.from_actor, data.to_actor)


class NeighbourhoodGuard(Guard):
    def create(self, access: Access, store: GraphStore, data: Any) -> None:
        access.check_coordinator(Say("record, change and end neighbourhoods"))
