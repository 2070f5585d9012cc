"""The GraphStore port: the only way into Maillage's data.

Two adapters implement it: :class:`graph.sqlite_store.SqliteGraphStore` (embedded, the default)
and :class:`graph.neo4j_store.Neo4jGraphStore` (Neo4j 5.26 over Bolt). Routes, the CLI, ingest and
analysis talk to this protocol only; the contract tests in ``tests/contract`` run every operation
against both adapters.

Conventions shared by every operation:

- inputs are pydantic models from :mod:`graph.model` or plain mappings, validated on the way in;
  bad input raises :class:`graph.errors.InvalidInput` and writes nothing;
- ``by`` is the user who writes; every write appends one :class:`graph.model.Event` per record
  it changes, in the same transaction;
- ``as_of`` (a date) asks what was true on that day: a record counts when ``since <= as_of`` and
  ``until`` is empty or after ``as_of`` (``until`` is exclusive). Without ``as_of``, reads show what
  is true today;
- an actor's natural key is its normalised name plus neighbourhood. Recording the same actor
  twice raises :class:`graph.errors.Conflict` whose ``details`` name the existing actor
  (``existing_id``, ``existing_name``): duplicates are refused, never merged silently;
- actors, links, activities and neighbourhoods are *ended* with a date, not deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

import networkx as nx

from graph.bulk import Batch
from graph.model import (
    Activity,
    ActivityCreate,
    ActivityFilter,
    ActivityUpdate,
    Actor,
    ActorCreate,
    ActorFilter,
    ActorUpdate,
    CallCreate,
    Crisis,
    CrisisCreate,
    CrisisFilter,
    CrisisUpdate,
    EgoNetwork,
    Event,
    EventFilter,
    FollowUp,
    FollowUpCreate,
    FollowUpFilter,
    FollowUpUpdate,
    IntroductionPath,
    Link,
    LinkCreate,
    LinkFilter,
    LinkUpdate,
    Neighbourhood,
    NeighbourhoodCreate,
    NeighbourhoodFilter,
    NeighbourhoodUpdate,
    Observation,
    ObservationCreate,
    ObservationFilter,
    ObservationUpdate,
    Page,
    Referral,
    ReferralCreate,
    ReferralFilter,
    ReferralUpdate,
)
from graph.users import UserStore

Input = Mapping[str, Any]


class GraphStore(UserStore, Protocol):
    """What every store offers. See the module docstring for the shared conventions.

    Users and their tokens are a port of their own (:class:`graph.users.UserStore`); every
    store keeps them too, so a store is both."""

    backend: str

    # actors
    def create_actor(
        self, data: ActorCreate | Input, *, by: str, at: datetime | None = None
    ) -> Actor: ...
    def create_actors(
        self, rows: Sequence[ActorCreate | Input], *, by: str, at: datetime | None = None
    ) -> list[Actor]: ...
    def get_actor(self, actor_id: str, *, as_of: date | None = None) -> Actor: ...
    def update_actor(self, actor_id: str, changes: ActorUpdate | Input, *, by: str) -> Actor: ...
    def confirm_actor(self, actor_id: str, *, by: str, at: datetime | None = None) -> Actor: ...
    def end_actor(self, actor_id: str, until: date, *, by: str) -> Actor: ...
    def reopen_actor(self, actor_id: str, *, by: str) -> Actor: ...
    def retract_actor(self, actor_id: str, *, by: str, reason: str) -> Actor: ...
    def erase_actor(self, actor_id: str, *, by: str, reason: str) -> None: ...
    def list_actors(
        self, filters: ActorFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Actor]: ...

    # links
    def create_link(
        self, data: LinkCreate | Input, *, by: str, at: datetime | None = None
    ) -> Link: ...
    def create_links(
        self, rows: Sequence[LinkCreate | Input], *, by: str, at: datetime | None = None
    ) -> list[Link]: ...
    def get_link(self, link_id: str, *, as_of: date | None = None) -> Link: ...
    def update_link(self, link_id: str, changes: LinkUpdate | Input, *, by: str) -> Link: ...
    def end_link(self, link_id: str, until: date, *, by: str) -> Link: ...
    def reopen_link(self, link_id: str, *, by: str) -> Link: ...
    def retract_link(self, link_id: str, *, by: str, reason: str) -> Link: ...
    def list_links(
        self, filters: LinkFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Link]: ...

    # activities
    def create_activity(
        self, data: ActivityCreate | Input, *, by: str, at: datetime | None = None
    ) -> Activity: ...
    def get_activity(self, activity_id: str, *, as_of: date | None = None) -> Activity: ...
    def update_activity(
        self, activity_id: str, changes: ActivityUpdate | Input, *, by: str
    ) -> Activity: ...
    def end_activity(self, activity_id: str, until: date, *, by: str) -> Activity: ...
    def retract_activity(self, activity_id: str, *, by: str, reason: str) -> Activity: ...
    def list_activities(
        self, filters: ActivityFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Activity]: ...

    # referrals (anonymous counts)
    def create_referral(
        self, data: ReferralCreate | Input, *, by: str, at: datetime | None = None
    ) -> Referral: ...
    def create_referrals(
        self, rows: Sequence[ReferralCreate | Input], *, by: str, at: datetime | None = None
    ) -> list[Referral]: ...
    def get_referral(self, referral_id: str) -> Referral: ...
    def update_referral(
        self, referral_id: str, changes: ReferralUpdate | Input, *, by: str
    ) -> Referral: ...
    def end_referral(self, referral_id: str, closed_on: date, *, by: str) -> Referral: ...
    def list_referrals(
        self, filters: ReferralFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Referral]: ...

    # neighbourhoods
    def create_neighbourhood(
        self, data: NeighbourhoodCreate | Input, *, by: str, at: datetime | None = None
    ) -> Neighbourhood: ...
    def get_neighbourhood(
        self, neighbourhood_id: str, *, as_of: date | None = None
    ) -> Neighbourhood: ...
    def update_neighbourhood(
        self, neighbourhood_id: str, changes: NeighbourhoodUpdate | Input, *, by: str
    ) -> Neighbourhood: ...
    def end_neighbourhood(
        self, neighbourhood_id: str, until: date, *, by: str
    ) -> Neighbourhood: ...
    def list_neighbourhoods(
        self, filters: NeighbourhoodFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Neighbourhood]: ...

    # follow-ups decided at team meetings
    def create_follow_up(
        self, data: FollowUpCreate | Input, *, by: str, at: datetime | None = None
    ) -> FollowUp: ...
    def get_follow_up(self, follow_up_id: str) -> FollowUp: ...
    def update_follow_up(
        self, follow_up_id: str, changes: FollowUpUpdate | Input, *, by: str
    ) -> FollowUp: ...
    def list_follow_ups(
        self, filters: FollowUpFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[FollowUp]: ...

    # observations: what actors say about the neighbourhood (the diagnosis)
    def people_named_in(self, neighbourhood: str) -> list[str]: ...
    def create_observation(
        self, data: ObservationCreate | Input, *, by: str, at: datetime | None = None
    ) -> Observation: ...
    def create_observations(
        self, rows: Sequence[ObservationCreate | Input], *, by: str, at: datetime | None = None
    ) -> list[Observation]: ...
    def get_observation(self, observation_id: str) -> Observation: ...
    def update_observation(
        self, observation_id: str, changes: ObservationUpdate | Input, *, by: str
    ) -> Observation: ...
    def retract_observation(self, observation_id: str, *, by: str, reason: str) -> Observation: ...
    def list_observations(
        self, filters: ObservationFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Observation]: ...

    # crisis lists
    def create_crisis(
        self, data: CrisisCreate | Input, *, by: str, at: datetime | None = None
    ) -> Crisis: ...
    def get_crisis(self, crisis_id: str, *, as_of: date | None = None) -> Crisis: ...
    def update_crisis(
        self, crisis_id: str, changes: CrisisUpdate | Input, *, by: str
    ) -> Crisis: ...
    def end_crisis(self, crisis_id: str, until: date, *, by: str) -> Crisis: ...
    def retract_crisis(self, crisis_id: str, *, by: str, reason: str) -> Crisis: ...
    def record_call(
        self, crisis_id: str, call: CallCreate | Input, *, by: str, at: datetime | None = None
    ) -> Crisis: ...
    def list_crises(
        self, filters: CrisisFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Crisis]: ...

    # who knows whom
    def ego_network(
        self, actor_id: str, *, depth: int = 1, as_of: date | None = None
    ) -> EgoNetwork: ...
    def introduction_paths(
        self, source: str, target: str, *, k: int = 3, as_of: date | None = None
    ) -> list[IntroductionPath]: ...

    # history and analysis
    def list_events(
        self, filters: EventFilter | None = None, *, limit: int = 100, offset: int = 0
    ) -> Page[Event]: ...
    def snapshot(
        self, as_of: date | None = None, *, neighbourhood: str | None = None
    ) -> nx.MultiDiGraph: ...
    def history(self, *, neighbourhood: str | None = None) -> nx.MultiDiGraph: ...
    def refreshed(
        self, graph: nx.MultiDiGraph, actor_ids: Sequence[str], *, as_of: date | None = None
    ) -> nx.MultiDiGraph: ...
    # many records at once (graph/bulk.py)
    def import_batch(self, batch: Batch, *, by: str) -> dict[str, int]: ...
    def import_batches(self, batches: Iterable[Batch], *, by: str) -> dict[str, int]: ...
    def recover_imports(self) -> int: ...
    def backup(self) -> dict[str, Any]: ...
    def restore(self, backup: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]: ...
    def is_empty(self) -> bool: ...
    def counts(self) -> dict[str, int]: ...
    def version(self) -> int: ...
    def changes_after(self, seq: int, limit: int) -> tuple[int, int, list[dict[str, Any]]]: ...
    def event_marks(self) -> tuple[int, int]: ...
    def places_of(
        self, actor_ids: Sequence[str], ring: Sequence[str] = ()
    ) -> tuple[set[str], int]: ...

    # layout positions shared by every view (no events: presentation only)
    def positions(self, ids: Sequence[str] | None = None) -> dict[str, tuple[float, float]]: ...
    def save_positions(
        self, positions: Mapping[str, tuple[float, float]], *, replace: bool = False
    ) -> None: ...
    def close(self) -> None: ...


class NetworkReader(Protocol):
    """What analyses, views, exports and imports need of a store. Both the raw store and the
    reader's facade (:class:`api.scoped.ScopedStore`, which applies the access policy) offer it,
    so the same glue serves the command line and each user's routes."""

    backend: str

    def get_actor(self, actor_id: str, *, as_of: date | None = None) -> Actor: ...
    def list_actors(
        self, filters: ActorFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Actor]: ...
    def list_referrals(
        self, filters: ReferralFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Referral]: ...
    def list_neighbourhoods(
        self, filters: NeighbourhoodFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Neighbourhood]: ...
    def introduction_paths(
        self, source: str, target: str, *, k: int = 3, as_of: date | None = None
    ) -> list[IntroductionPath]: ...
    def snapshot(
        self, as_of: date | None = None, *, neighbourhood: str | None = None
    ) -> nx.MultiDiGraph: ...
    def history(self, *, neighbourhood: str | None = None) -> nx.MultiDiGraph: ...
    def positions(self, ids: Sequence[str] | None = None) -> dict[str, tuple[float, float]]: ...
    def save_positions(
        self, positions: Mapping[str, tuple[float, float]], *, replace: bool = False
    ) -> None: ...
    def version(self) -> int: ...
    def backup(self) -> dict[str, Any]: ...
    def import_batches(self, batches: Iterable[Batch], *, by: str) -> dict[str, int]: ...
