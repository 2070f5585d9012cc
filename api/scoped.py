"""The store as one user may reach it: :class:`ScopedStore`, a facade over the port that applies
the access policy (:mod:`api.policy`) to every read and every write.

Routes, pages, views, downloads and the command line's user-facing verbs receive this facade,
never the raw store (``api.deps.Scoped``; ``tests/api/test_scoped_routes.py`` fails when a route
reaches the raw store), so a new route cannot forget the policy:

- reads are filtered: lists carry the reader's :class:`graph.model.Visibility`, a record the
  reader may not see answers exactly as an unknown id does (404, the same words), snapshots and
  histories hold only the actors the reader sees, activities name only the participants the
  reader sees, ego networks and paths go only through them;
- writes are checked before they reach the store, and are made in the user's name;
- a key resident is reachable only from its own neighbourhood: no link, referral, activity or
  follow-up joins it to another neighbourhood's actor, whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import networkx as nx

from api.policy import (
    Access,
    ActivityGuard,
    ActorGuard,
    CrisisGuard,
    LinkGuard,
    NeighbourhoodGuard,
    ObservationGuard,
    ReferralGuard,
    forbidden,
)
from graph.bulk import Batch
from graph.errors import NotFound, Say
from graph.model import (
    MOST_EVENTS_OF,
    Activity,
    ActivityCreate,
    ActivityFilter,
    ActivityUpdate,
    Actor,
    ActorCreate,
    ActorFilter,
    ActorKind,
    ActorUpdate,
    CallCreate,
    Crisis,
    CrisisCreate,
    CrisisFilter,
    CrisisUpdate,
    EgoNetwork,
    EntityKind,
    Event,
    EventFilter,
    EventsOf,
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
    Role,
    User,
    normalise_name,
)
from graph.records import no_such
from graph.store import GraphStore
from graph.tx import MAX_PAGE
from graph.validation import validate, validate_rows

Input = Mapping[str, Any]

ACTORS = ActorGuard()
LINKS = LinkGuard()
ACTIVITIES = ActivityGuard()
REFERRALS = ReferralGuard()
NEIGHBOURHOODS = NeighbourhoodGuard()
OBSERVATIONS = ObservationGuard()
CRISES = CrisisGuard()


def _empty(limit: int, offset: int) -> Page[Any]:
    return Page(items=[], total=0, limit=limit, offset=offset)


class ScopedStore:
    """The port as one user reaches it (see the module docstring). ``by`` arguments are
    accepted for the port's shape and ignored: every write is made in the user's name."""

    def __init__(self, raw: GraphStore, access: Access) -> None:
        self._raw = raw
        self.access = access
        self.backend = raw.backend

    # ------------------------------------------------------------------ who and where
    @property
    def user(self) -> User:
        return self.access.user

    @property
    def by(self) -> str:
        return self.access.user.name

    @property
    def scope_key(self) -> tuple[Any, ...]:
        """What a kept result depends on besides the store's state: the reader's reach."""
        a = self.access
        if a.sees_everything:
            return (id(self._raw), "all")
        return (id(self._raw), a.role.value, tuple(sorted(a.neighbourhoods)))

    def figures_scope(self, asked: str | None = None) -> str | None:
        """The neighbourhood whose figures, views and downloads this reader gets (None: all):
        managers choose; others get their team's; a user without a team gets a 403."""
        a = self.access
        if a.sees_everything:
            return asked or None
        if a.reads_nothing:
            raise forbidden(
                Say(
                    "your user is not attached to a BAR team, so it sees no neighbourhood's "
                    "figures: ask a coordinator to attach it"
                )
            )
        if asked and normalise_name(asked) not in a.neighbourhoods:
            raise forbidden(
                Say(
                    "you see the figures of your own neighbourhood ({team}); coordinators see "
                    "every neighbourhood",
                    team=a.team_label,
                )
            )
        return a.team_label

    def version(self) -> int:
        return self._raw.version()

    # ------------------------------------------------------------------ actors
    def _visible_actor(self, actor_id: str) -> Actor:
        """The actor as stored (whatever its dates), or NotFound if unknown or hidden."""
        actor = self._raw.get_actor(actor_id)
        if not self.access.may_see_actor(actor):
            raise no_such(EntityKind.actor, actor_id)
        return actor

    def get_actor(self, actor_id: str, *, as_of: date | None = None) -> Actor:
        actor = self._visible_actor(actor_id)
        return actor if as_of is None else self._raw.get_actor(actor_id, as_of=as_of)

    def list_actors(self, filters: Any = None, *, limit: int = 50, offset: int = 0) -> Page[Actor]:
        scoped = self.access.scoped(filters or ActorFilter(), ActorFilter)
        return self._raw.list_actors(scoped, limit=limit, offset=offset)

    def every_actor(self, filters: Any = None) -> list[Actor]:
        """Every actor of a query the user may see, read a page of the store at a time (a
        round of the living directory, the words to map)."""
        seen: list[Actor] = []
        while True:
            page = self.list_actors(filters, limit=MAX_PAGE, offset=len(seen)).items
            seen += page
            if len(page) < MAX_PAGE:
                return seen

    def create_actor(self, data: ActorCreate | Input, *, by: str | None = None) -> Actor:
        self.access.check_writer()
        checked = validate(ActorCreate, data)
        ACTORS.create(self.access, self._raw, checked)
        return self._raw.create_actor(checked, by=self.by)

    def update_actor(
        self, actor_id: str, changes: ActorUpdate | Input, *, by: str | None = None
    ) -> Actor:
        self.access.check_writer()
        checked = validate(ActorUpdate, changes)
        ACTORS.change(self.access, self._raw, self._visible_actor(actor_id), checked)
        return self._raw.update_actor(actor_id, checked, by=self.by)

    def confirm_actor(self, actor_id: str, *, by: str | None = None) -> Actor:
        self.access.check_writer()
        ACTORS.change(self.access, self._raw, self._visible_actor(actor_id), None)
        return self._raw.confirm_actor(actor_id, by=self.by)

    def end_actor(self, actor_id: str, until: date, *, by: str | None = None) -> Actor:
        self.access.check_writer()
        ACTORS.end(self.access, self._raw, self._visible_actor(actor_id))
        return self._raw.end_actor(actor_id, until, by=self.by)

    def reopen_actor(self, actor_id: str, *, by: str | None = None) -> Actor:
        self.access.check_writer()
        ACTORS.undo(self.access, self._raw, self._visible_actor(actor_id), "reopen")
        return self._raw.reopen_actor(actor_id, by=self.by)

    def retract_actor(self, actor_id: str, *, by: str | None = None, reason: str) -> Actor:
        self.access.check_writer()
        ACTORS.undo(self.access, self._raw, self._visible_actor(actor_id), "retract")
        return self._raw.retract_actor(actor_id, by=self.by, reason=reason)

    def erase_actor(self, actor_id: str, *, by: str | None = None, reason: str) -> None:
        self.access.check_coordinator(Say("erase an actor"))
        self._visible_actor(actor_id)
        self._raw.erase_actor(actor_id, by=self.by, reason=reason)

    def subject_access_actor(self, actor_id: str) -> Actor:
        """The actor a subject-access request is about (coordinators and admins)."""
        self.access.check_coordinator(Say("read everything held about an actor"))
        return self._visible_actor(actor_id)

    # ------------------------------------------------------------------ links
    def _check_local(self, actors: Iterable[Actor], neighbourhood: str | None = None) -> None:
        """A key resident is reachable only from its own neighbourhood."""
        actors = list(actors)
        places = {normalise_name(a.neighbourhood) for a in actors}
        if neighbourhood is not None:
            places.add(normalise_name(neighbourhood))
        for actor in actors:
            if actor.kind is ActorKind.key_resident and len(places) > 1:
                raise forbidden(
                    Say(
                        "a key resident is reachable only from its own neighbourhood "
                        "({neighbourhood}): nothing joins it to another neighbourhood",
                        neighbourhood=actor.neighbourhood,
                    )
                )

    def _visible_link(self, link_id: str) -> Link:
        link = self._raw.get_link(link_id)
        try:
            for end in (link.source, link.target):
                self._visible_actor(end)
        except NotFound:
            raise no_such(EntityKind.link, link_id) from None
        return link

    def get_link(self, link_id: str, *, as_of: date | None = None) -> Link:
        link = self._visible_link(link_id)
        return link if as_of is None else self._raw.get_link(link_id, as_of=as_of)

    def list_links(self, filters: Any = None, *, limit: int = 50, offset: int = 0) -> Page[Link]:
        scoped = self.access.scoped(filters or LinkFilter(), LinkFilter)
        return self._raw.list_links(scoped, limit=limit, offset=offset)

    def create_link(self, data: LinkCreate | Input, *, by: str | None = None) -> Link:
        self.access.check_writer()
        checked = validate(LinkCreate, data)
        ends = [self._visible_actor(a) for a in (checked.source, checked.target)]
        LINKS.create(self.access, self._raw, checked)
        self._check_local(ends)
        return self._raw.create_link(checked, by=self.by)

    def update_link(
        self, link_id: str, changes: LinkUpdate | Input, *, by: str | None = None
    ) -> Link:
        self.access.check_writer()
        checked = validate(LinkUpdate, changes)
        LINKS.change(self.access, self._raw, self._visible_link(link_id), checked)
        return self._raw.update_link(link_id, checked, by=self.by)

    def end_link(self, link_id: str, until: date, *, by: str | None = None) -> Link:
        self.access.check_writer()
        LINKS.end(self.access, self._raw, self._visible_link(link_id))
        return self._raw.end_link(link_id, until, by=self.by)

    def reopen_link(self, link_id: str, *, by: str | None = None) -> Link:
        self.access.check_writer()
        LINKS.undo(self.access, self._raw, self._visible_link(link_id), "reopen")
        return self._raw.reopen_link(link_id, by=self.by)

    def retract_link(self, link_id: str, *, by: str | None = None, reason: str) -> Link:
        self.access.check_writer()
        LINKS.undo(self.access, self._raw, self._visible_link(link_id), "retract")
        return self._raw.retract_link(link_id, by=self.by, reason=reason)

    # ------------------------------------------------------------------ activities
    def _shown(self, activity: Activity) -> Activity:
        """An activity with only the participants and initiators the reader may see."""
        seen = self._seen_ids(activity.participants)
        led = self._seen_ids(activity.initiators)
        if seen == activity.participants and led == activity.initiators:
            return activity
        return activity.model_copy(update={"participants": seen, "initiators": led})

    def _visible_activity(self, activity_id: str) -> Activity:
        activity = self._raw.get_activity(activity_id)
        if not self.access.may_read_in(activity.neighbourhood):
            raise no_such(EntityKind.activity, activity_id)
        return activity

    def get_activity(self, activity_id: str, *, as_of: date | None = None) -> Activity:
        activity = self._visible_activity(activity_id)
        if as_of is not None:
            activity = self._raw.get_activity(activity_id, as_of=as_of)
        return self._shown(activity)

    def list_activities(
        self, filters: Any = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Activity]:
        scoped = self.access.scoped(filters or ActivityFilter(), ActivityFilter)
        found = self._raw.list_activities(scoped, limit=limit, offset=offset)
        return found.model_copy(update={"items": [self._shown(a) for a in found.items]})

    def _check_participants(self, neighbourhood: str, participants: Sequence[str]) -> None:
        actors = [self._visible_actor(a) for a in participants]
        self._check_local([a for a in actors if a.kind is ActorKind.key_resident], neighbourhood)

    def create_activity(self, data: ActivityCreate | Input, *, by: str | None = None) -> Activity:
        self.access.check_writer()
        checked = validate(ActivityCreate, data)
        ACTIVITIES.create(self.access, self._raw, checked)
        self._check_participants(
            checked.neighbourhood, [*checked.participants, *checked.initiators]
        )
        return self._raw.create_activity(checked, by=self.by)

    def update_activity(
        self, activity_id: str, changes: ActivityUpdate | Input, *, by: str | None = None
    ) -> Activity:
        self.access.check_writer()
        checked = validate(ActivityUpdate, changes)
        current = self._visible_activity(activity_id)
        ACTIVITIES.change(self.access, self._raw, current, checked)
        fields = checked.model_dump(exclude_unset=True)
        place = fields.get("neighbourhood") or current.neighbourhood
        if fields.get("neighbourhood"):
            self.access.check_write_in(place, what=Say("this activity"))
        involved = [*(fields.get("participants") or current.participants),
                    *(fields.get("initiators") or current.initiators)]  # fmt: skip
        self._check_participants(place, involved)
        return self._raw.update_activity(activity_id, checked, by=self.by)

    def end_activity(self, activity_id: str, until: date, *, by: str | None = None) -> Activity:
        self.access.check_writer()
        ACTIVITIES.end(self.access, self._raw, self._visible_activity(activity_id))
        return self._raw.end_activity(activity_id, until, by=self.by)

    def retract_activity(self, activity_id: str, *, by: str | None = None, reason: str) -> Activity:
        self.access.check_writer()
        ACTIVITIES.undo(self.access, self._raw, self._visible_activity(activity_id), "retract")
        return self._raw.retract_activity(activity_id, by=self.by, reason=reason)

    # ------------------------------------------------------------------ observations
    def _seen_ids(self, ids: Sequence[str]) -> list[str]:
        """The actors of ``ids`` the reader may see."""
        if self.access.sees_everything:
            return list(ids)
        shown = {a.id for a in self._raw.get_actors(ids) if self.access.may_see_actor(a)}
        return [actor_id for actor_id in ids if actor_id in shown]

    def _said(self, observation: Observation) -> Observation:
        """An observation naming only the sources the reader may see."""
        seen = self._seen_ids(observation.sources)
        if seen == observation.sources:
            return observation
        return observation.model_copy(update={"sources": seen})

    def _visible_observation(self, observation_id: str) -> Observation:
        found = self._raw.get_observation(observation_id)
        if found.retracted or not self.access.may_read_in(found.neighbourhood):
            raise no_such(EntityKind.observation, observation_id)
        return found

    def get_observation(self, observation_id: str) -> Observation:
        return self._said(self._visible_observation(observation_id))

    def list_observations(
        self, filters: Any = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Observation]:
        scoped = self.access.scoped(filters or ObservationFilter(), ObservationFilter)
        found = self._raw.list_observations(scoped, limit=limit, offset=offset)
        return found.model_copy(update={"items": [self._said(o) for o in found.items]})

    def people_named_in(self, neighbourhood: str) -> list[str]:
        return self._raw.people_named_in(neighbourhood)

    def create_observation(
        self, data: ObservationCreate | Input, *, by: str | None = None
    ) -> Observation:
        return self.create_observations([data])[0]

    def create_observations(
        self, rows: Sequence[ObservationCreate | Input], *, by: str | None = None
    ) -> list[Observation]:
        self.access.check_writer()
        checked = validate_rows(ObservationCreate, rows)
        for row in checked:
            OBSERVATIONS.create(self.access, self._raw, row)
            self._check_participants(row.neighbourhood, row.sources)
        return self._raw.create_observations(checked, by=self.by)

    def update_observation(
        self, observation_id: str, changes: ObservationUpdate | Input, *, by: str | None = None
    ) -> Observation:
        self.access.check_writer()
        checked = validate(ObservationUpdate, changes)
        current = self._visible_observation(observation_id)
        OBSERVATIONS.change(self.access, self._raw, current, checked)
        if checked.sources is not None:
            self._check_participants(current.neighbourhood, checked.sources)
        return self._said(self._raw.update_observation(observation_id, checked, by=self.by))

    def retract_observation(
        self, observation_id: str, *, by: str | None = None, reason: str
    ) -> Observation:
        self.access.check_writer()
        current = self._visible_observation(observation_id)
        OBSERVATIONS.undo(self.access, self._raw, current, "retract")
        return self._raw.retract_observation(observation_id, by=self.by, reason=reason)

    # ------------------------------------------------------------------ crisis lists
    def _called(self, crisis: Crisis) -> Crisis:
        """A crisis list naming only the actors the reader may see."""
        seen = set(self._seen_ids([c.actor for c in crisis.calls]))
        calls = [c for c in crisis.calls if c.actor in seen]
        return (
            crisis
            if len(calls) == len(crisis.calls)
            else crisis.model_copy(update={"calls": calls})
        )

    def _visible_crisis(self, crisis_id: str) -> Crisis:
        found = self._raw.get_crisis(crisis_id)
        if found.retracted or not self.access.may_read_in(found.neighbourhood):
            raise no_such(EntityKind.crisis, crisis_id)
        return found

    def get_crisis(self, crisis_id: str, *, as_of: date | None = None) -> Crisis:
        found = self._visible_crisis(crisis_id)
        if as_of is not None:
            found = self._raw.get_crisis(crisis_id, as_of=as_of)
        return self._called(found)

    def list_crises(self, filters: Any = None, *, limit: int = 50, offset: int = 0) -> Page[Crisis]:
        scoped = self.access.scoped(filters or CrisisFilter(), CrisisFilter)
        found = self._raw.list_crises(scoped, limit=limit, offset=offset)
        return found.model_copy(update={"items": [self._called(c) for c in found.items]})

    def create_crisis(self, data: CrisisCreate | Input, *, by: str | None = None) -> Crisis:
        self.access.check_writer()
        checked = validate(CrisisCreate, data)
        CRISES.create(self.access, self._raw, checked)
        return self._raw.create_crisis(checked, by=self.by)

    def update_crisis(
        self, crisis_id: str, changes: CrisisUpdate | Input, *, by: str | None = None
    ) -> Crisis:
        self.access.check_writer()
        checked = validate(CrisisUpdate, changes)
        CRISES.change(self.access, self._raw, self._visible_crisis(crisis_id), checked)
        return self._called(self._raw.update_crisis(crisis_id, checked, by=self.by))

    def end_crisis(self, crisis_id: str, until: date, *, by: str | None = None) -> Crisis:
        self.access.check_writer()
        CRISES.end(self.access, self._raw, self._visible_crisis(crisis_id))
        return self._called(self._raw.end_crisis(crisis_id, until, by=self.by))

    def retract_crisis(self, crisis_id: str, *, by: str | None = None, reason: str) -> Crisis:
        self.access.check_writer()
        CRISES.undo(self.access, self._raw, self._visible_crisis(crisis_id), "retract")
        return self._raw.retract_crisis(crisis_id, by=self.by, reason=reason)

    def record_call(
        self, crisis_id: str, call: CallCreate | Input, *, by: str | None = None
    ) -> Crisis:
        """Who called whom: the team of the crisis's neighbourhood (or a coordinator)."""
        self.access.check_writer()
        checked = validate(CallCreate, call)
        crisis = self._visible_crisis(crisis_id)
        CRISES.change(self.access, self._raw, crisis, None)
        self._check_participants(crisis.neighbourhood, [checked.actor])
        return self._called(self._raw.record_call(crisis_id, checked, by=self.by))

    # ------------------------------------------------------------------ referrals
    def _visible_referral(self, referral_id: str) -> Referral:
        referral = self._raw.get_referral(referral_id)
        ends = [self._raw.get_actor(a) for a in (referral.from_actor, referral.to_actor)]
        hidden_resident = any(
            a.kind is ActorKind.key_resident and not self.access.may_see_actor(a) for a in ends
        )
        if hidden_resident or not any(self.access.may_read_in(a.neighbourhood) for a in ends):
            raise no_such(EntityKind.referral, referral_id)
        return referral

    def get_referral(self, referral_id: str) -> Referral:
        return self._visible_referral(referral_id)

    def list_referrals(
        self, filters: Any = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Referral]:
        scoped = self.access.scoped(filters or ReferralFilter(), ReferralFilter)
        return self._raw.list_referrals(scoped, limit=limit, offset=offset)

    def create_referral(self, data: ReferralCreate | Input, *, by: str | None = None) -> Referral:
        self.access.check_writer()
        checked = validate(ReferralCreate, data)
        ends = [self._visible_actor(a) for a in (checked.from_actor, checked.to_actor)]
        REFERRALS.create(self.access, self._raw, checked)
        self._check_local(ends)
        return self._raw.create_referral(checked, by=self.by)

    def update_referral(
        self, referral_id: str, changes: ReferralUpdate | Input, *, by: str | None = None
    ) -> Referral:
        self.access.check_writer()
        checked = validate(ReferralUpdate, changes)
        REFERRALS.change(self.access, self._raw, self._visible_referral(referral_id), checked)
        return self._raw.update_referral(referral_id, checked, by=self.by)

    def end_referral(self, referral_id: str, closed_on: date, *, by: str | None = None) -> Referral:
        self.access.check_writer()
        REFERRALS.end(self.access, self._raw, self._visible_referral(referral_id))
        return self._raw.end_referral(referral_id, closed_on, by=self.by)

    # ------------------------------------------------------------------ neighbourhoods
    def get_neighbourhood(
        self, neighbourhood_id: str, *, as_of: date | None = None
    ) -> Neighbourhood:
        found = self._raw.get_neighbourhood(neighbourhood_id, as_of=as_of)
        if not self.access.may_read_in(found.name):
            raise no_such(EntityKind.neighbourhood, neighbourhood_id)
        return found

    def list_neighbourhoods(
        self, filters: NeighbourhoodFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Neighbourhood]:
        if self.access.reads_nothing:
            return _empty(limit, offset)
        found = self._raw.list_neighbourhoods(filters, limit=limit, offset=offset)
        if self.access.role is not Role.viewer:
            return found
        mine = [n for n in found.items if self.access.may_read_in(n.name)]
        return found.model_copy(update={"items": mine, "total": len(mine)})

    def create_neighbourhood(
        self, data: NeighbourhoodCreate | Input, *, by: str | None = None
    ) -> Neighbourhood:
        checked = validate(NeighbourhoodCreate, data)
        NEIGHBOURHOODS.create(self.access, self._raw, checked)
        return self._raw.create_neighbourhood(checked, by=self.by)

    def update_neighbourhood(
        self, neighbourhood_id: str, changes: NeighbourhoodUpdate | Input, *, by: str | None = None
    ) -> Neighbourhood:
        checked = validate(NeighbourhoodUpdate, changes)
        NEIGHBOURHOODS.create(self.access, self._raw, checked)
        return self._raw.update_neighbourhood(neighbourhood_id, checked, by=self.by)

    def end_neighbourhood(
        self, neighbourhood_id: str, until: date, *, by: str | None = None
    ) -> Neighbourhood:
        NEIGHBOURHOODS.create(self.access, self._raw, None)
        return self._raw.end_neighbourhood(neighbourhood_id, until, by=self.by)

    # ------------------------------------------------------------------ follow-ups
    def _team_neighbourhood_of(self, user_name: str) -> str | None:
        """The normalised neighbourhood of a user's BAR team (None: managers, or no team)."""
        try:
            user = self._raw.get_user(user_name)
        except NotFound:
            return None
        if user.actor_id is None:
            return None
        try:
            return normalise_name(self._raw.get_actor(user.actor_id).neighbourhood)
        except NotFound:
            return None

    def follow_up_takers(self, neighbourhood: str | None) -> list[str]:
        """Who may take a follow-up of a neighbourhood: its team's BAR workers and the
        coordinators (a manager's view of every neighbourhood: every BAR worker)."""
        wanted = normalise_name(neighbourhood) if neighbourhood else None
        if wanted is None and not self.access.sees_everything:
            return []
        takers = []
        for user in self._raw.list_users():
            if user.disabled or user.role not in (Role.bar, Role.coordinator):
                continue
            if (
                user.role is Role.coordinator
                or wanted is None
                or self._team_neighbourhood_of(user.name) == wanted
            ):
                takers.append(user.name)
        return takers

    def _check_follow_up(
        self, neighbourhood: str, actors: Sequence[str], taker: str | None
    ) -> None:
        self.access.check_write_in(neighbourhood, what=Say("this follow-up"))
        self._check_participants(neighbourhood, actors)
        takers = {t.casefold() for t in self.follow_up_takers(neighbourhood)}
        if taker is not None and taker.casefold() not in {self.by.casefold(), *takers}:
            raise forbidden(
                Say(
                    "a follow-up of {neighbourhood} is taken by someone of its team or a "
                    "coordinator",
                    neighbourhood=neighbourhood,
                )
            )

    def _visible_follow_up(self, follow_up_id: str) -> FollowUp:
        found = self._raw.get_follow_up(follow_up_id)
        a = self.access
        if not a.sees_everything and normalise_name(found.neighbourhood) not in a.neighbourhoods:
            raise no_such(EntityKind.follow_up, follow_up_id)
        return found

    def create_follow_up(self, data: FollowUpCreate | Input, *, by: str | None = None) -> FollowUp:
        self.access.check_writer()
        checked = validate(FollowUpCreate, data)
        involved = [*checked.actors, *([checked.introducer] if checked.introducer else [])]
        self._check_follow_up(checked.neighbourhood, involved, checked.taken_by)
        return self._raw.create_follow_up(checked, by=self.by)

    def update_follow_up(
        self, follow_up_id: str, changes: FollowUpUpdate | Input, *, by: str | None = None
    ) -> FollowUp:
        self.access.check_writer()
        checked = validate(FollowUpUpdate, changes)
        current = self._visible_follow_up(follow_up_id)
        self._check_follow_up(current.neighbourhood, [], checked.taken_by)
        return self._raw.update_follow_up(follow_up_id, checked, by=self.by)

    def list_follow_ups(
        self, filters: FollowUpFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[FollowUp]:
        """A team's follow-ups: managers read every neighbourhood's, others their team's."""
        a = self.access
        asked = filters or FollowUpFilter()
        if not a.sees_everything:
            if a.reads_nothing:
                return _empty(limit, offset)
            wanted = asked.neighbourhood or a.team_label
            if normalise_name(str(wanted)) not in a.neighbourhoods:
                return _empty(limit, offset)
            asked = asked.model_copy(update={"neighbourhood": a.team_label})
        return self._raw.list_follow_ups(asked, limit=limit, offset=offset)

    # ------------------------------------------------------------------ who knows whom
    def ego_network(
        self, actor_id: str, *, depth: int = 1, as_of: date | None = None
    ) -> EgoNetwork:
        self._visible_actor(actor_id)
        ego = self._raw.ego_network(actor_id, depth=depth, as_of=as_of)
        return self.access.visible_ego(ego)

    def introduction_paths(
        self, source: str, target: str, *, k: int = 3, as_of: date | None = None
    ) -> list[IntroductionPath]:
        for end in (source, target):
            self._visible_actor(end)
        found = self._raw.introduction_paths(source, target, k=k, as_of=as_of)
        return self.access.visible_paths(self._raw, found)

    # ------------------------------------------------------------------ history and analysis
    def list_events(
        self, filters: EventFilter | None = None, *, limit: int = 100, offset: int = 0
    ) -> Page[Event]:
        asked = filters or EventFilter()
        user = self.access.check_events(asked.user)
        return self._raw.list_events(
            asked.model_copy(update={"user": user}), limit=limit, offset=offset
        )

    def snapshot(
        self, as_of: date | None = None, *, neighbourhood: str | None = None
    ) -> nx.MultiDiGraph:
        graph = self._raw.snapshot(as_of, neighbourhood=neighbourhood)
        return self.access.visible_graph(graph)

    def history(self, *, neighbourhood: str | None = None) -> nx.MultiDiGraph:
        return self.access.visible_graph(self._raw.history(neighbourhood=neighbourhood))

    @property
    def sees_everything(self) -> bool:
        return self.access.sees_everything

    def visible_graph(self, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
        """What this reader may see of a graph the store read (:meth:`api.kept.Kept.graph`)."""
        return self.access.visible_graph(graph)

    def directory_rounds(
        self, actor_ids: Iterable[str]
    ) -> tuple[dict[str, list[date]], dict[str, list[tuple[date, str]]]]:
        """What the history says of the living directory, for the actors of ``actor_ids`` the
        reader may see: the days each was confirmed ("still true"), and each saturation noted
        (the day, the state) — details the reader reads on each actor's page, in time order.
        The indicators' only reading of events beyond the reader's own (figures, no names)."""
        wanted = set(self._seen_ids(sorted(set(actor_ids))))
        confirmed: dict[str, list[date]] = {}
        noted: dict[str, list[tuple[date, str]]] = {}
        every: list[Event] = []
        ids = sorted(wanted)
        for start in range(0, len(ids), MOST_EVENTS_OF):  # these actors' events, by their index
            chunk = ids[start : start + MOST_EVENTS_OF]
            asked = EventsOf(entity=EntityKind.actor, entity_ids=chunk, marks_only=True)
            offset = 0
            while True:
                page = self._raw.list_events(asked, limit=1000, offset=offset)
                every += page.items
                offset += len(page.items)
                if not page.items or offset >= page.total:
                    break
        every.sort(key=lambda e: e.seq)
        for event in every:
            if event.entity_id not in wanted or not event.after:
                continue
            if event.action.value == "confirm" and event.after.get("confirmed_on"):
                day = date.fromisoformat(str(event.after["confirmed_on"]))
                confirmed.setdefault(event.entity_id, []).append(day)
            said = event.after.get("saturation")
            if isinstance(said, dict) and said.get("state") and said.get("noted"):
                state = (date.fromisoformat(str(said["noted"])), str(said["state"]))
                if noted.get(event.entity_id, [None])[-1] != state:
                    noted.setdefault(event.entity_id, []).append(state)
        return confirmed, noted

    @property
    def raw_store(self) -> GraphStore:
        """The store behind the facade, for what follows its versions (:mod:`api.kept`)
        and never reads records."""
        return self._raw

    def positions(self, ids: Sequence[str] | None = None) -> dict[str, tuple[float, float]]:
        return self._raw.positions(ids)

    def save_positions(
        self, positions: Mapping[str, tuple[float, float]], *, replace: bool = False
    ) -> None:
        self._raw.save_positions(positions, replace=replace and self.access.sees_everything)

    # ------------------------------------------------------------------ managers only
    def counts(self) -> dict[str, int]:
        self.access.check_coordinator(Say("count the whole store"))
        return self._raw.counts()

    def is_empty(self) -> bool:
        self.access.check_coordinator(Say("look at the whole store"))
        return self._raw.is_empty()

    def import_batch(self, batch: Batch, *, by: str | None = None) -> dict[str, int]:
        self.access.check_coordinator(Say("import files"))
        return self._raw.import_batch(batch, by=self.by)

    def import_batches(self, batches: Iterable[Batch], *, by: str | None = None) -> dict[str, int]:
        self.access.check_coordinator(Say("import files"))
        return self._raw.import_batches(batches, by=self.by)

    def backup(self) -> dict[str, Any]:
        self.access.check_coordinator(Say("back up the whole store"))
        return self._raw.backup()

    def restore(self, backup: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]:
        if self.access.role is not Role.admin:
            raise forbidden(Say("only admins {what}", what=Say("restore a backup")))
        return self._raw.restore(backup, replace=replace)
