"""The store both adapters share: the port's operations, written once.

:class:`BaseGraphStore` puts together the record engine (``graph/records.py``), who knows whom
(``graph/paths.py``), snapshots, history and positions (``graph/snapshots.py``) and users
(``graph/users.py``), and gives each kind of record its typed operations. An adapter subclasses
it and supplies transactions (``graph/tx.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from graph.bulk import Bulk
from graph.errors import InvalidInput, Say
from graph.model import (
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
    EntityKind,
    FollowUp,
    FollowUpCreate,
    FollowUpFilter,
    FollowUpUpdate,
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
    ObservationFields,
    ObservationFilter,
    ObservationUpdate,
    Page,
    Referral,
    ReferralCreate,
    ReferralFilter,
    ReferralUpdate,
    normalise_name,
)
from graph.paths import WhoKnowsWhom
from graph.personal import personal_data
from graph.snapshots import Snapshots
from graph.users import Users
from graph.validation import describe, validate, validate_rows


class BaseGraphStore(WhoKnowsWhom, Snapshots, Users, Bulk):
    """The port's operations on top of an adapter's transactions."""

    backend = "base"

    # -- actors

    def create_actor(
        self, data: ActorCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Actor:
        return self.create_actors([data], by=by, at=at)[0]

    def create_actors(
        self,
        rows: Sequence[ActorCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Actor]:
        placed = self._in_sectors(validate_rows(ActorCreate, rows))
        return [
            Actor.model_validate(r) for r in self._create_many(EntityKind.actor, placed, by, at)
        ]

    def _in_sectors(self, rows: Sequence[ActorCreate]) -> list[ActorCreate]:
        """Actors with a point in a neighbourhood whose sectors are drawn get the sector their
        point falls in, kept (unless one was given); a sector given must be the
        neighbourhood's."""
        from graph.sectors import sector_at

        if not any(r.latitude is not None or r.sector for r in rows):
            return list(rows)
        places = {normalise_name(n.name): n for n in self.list_neighbourhoods(limit=1000).items}
        out = []
        for row in rows:
            place = places.get(normalise_name(row.neighbourhood))
            if place is not None and row.sector is None and row.latitude is not None:
                found = sector_at(place.sector_shapes, row.latitude, row.longitude)
                row = row.model_copy(update={"sector": found}) if found else row
            elif (
                place is not None
                and row.sector
                and place.sector_codes
                and row.sector not in place.sector_codes
            ):  # a sector picked must be one of the neighbourhood's
                raise InvalidInput(
                    Say("'{code}' is not a statistical sector of {name} ({codes})",
                        code=row.sector, name=place.name, codes=", ".join(place.sector_codes)),
                    details=[{"field": "sector", "message": Say("not one of its sectors")}],
                )  # fmt: skip
            out.append(row)
        return out

    def get_actor(self, actor_id: str, *, as_of: date | None = None) -> Actor:
        return Actor.model_validate(self._get(EntityKind.actor, actor_id, as_of))

    def get_actors(self, actor_ids: Sequence[str]) -> list[Actor]:
        """The actors of ``actor_ids`` that exist (whatever their dates), in one read, by id."""
        found = self._read(lambda tx: tx.get_many(EntityKind.actor, sorted(set(actor_ids))))
        return [Actor.model_validate(r) for r in sorted(found, key=lambda r: str(r["id"]))]

    def update_actor(
        self, actor_id: str, changes: ActorUpdate | Mapping[str, Any], *, by: str
    ) -> Actor:
        checked = validate(ActorUpdate, changes)
        asked = checked.model_dump(exclude_unset=True)
        if {"latitude", "longitude", "neighbourhood", "sector"} & set(asked):
            current = self.get_actor(actor_id)
            moved = current.model_copy(update=asked)
            if "sector" not in asked and {"latitude", "longitude", "neighbourhood"} & set(asked):
                moved = moved.model_copy(update={"sector": None})
            try:
                fields = ActorCreate.model_validate(
                    moved.model_dump(include=set(ActorCreate.model_fields))
                )
            except ValueError:  # the engine says what is wrong with the change
                fields = None
            placed = self._in_sectors([fields])[0] if fields is not None else current
            if fields is not None and placed.sector != current.sector:
                checked = checked.model_copy(update={"sector": placed.sector})
                checked.model_fields_set.add("sector")
        record = self._update(EntityKind.actor, actor_id, ActorUpdate, checked, by)
        return Actor.model_validate(record)

    def confirm_actor(self, actor_id: str, *, by: str, at: datetime | None = None) -> Actor:
        """'Still true': its details checked today by ``by`` (the living directory)."""
        return Actor.model_validate(self._confirm_actor(actor_id, by, at))

    def end_actor(self, actor_id: str, until: date, *, by: str) -> Actor:
        return Actor.model_validate(self._end(EntityKind.actor, actor_id, until, by))

    def reopen_actor(self, actor_id: str, *, by: str) -> Actor:
        """Undo the end of an actor (its links stay ended: reopen those that still hold)."""
        return Actor.model_validate(self._reopen(EntityKind.actor, actor_id, by))

    def retract_actor(self, actor_id: str, *, by: str, reason: str) -> Actor:
        """An actor recorded by mistake: absent on every date, with its open links."""
        return Actor.model_validate(self._retract(EntityKind.actor, actor_id, by, reason))

    def erase_actor(self, actor_id: str, *, by: str, reason: str) -> None:
        """Erase an actor for good (privacy): see ``RecordEngine._erase_actor``."""
        self._erase_actor(actor_id, by, reason)
        self._forget_tokens()  # a user may have been this actor
        self._after_erasure()

    def _after_erasure(self) -> None:
        """What a store does so that erased content leaves its files (SQLite: the WAL)."""
        return None

    def restore(self, backup: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]:
        """See ``Bulk.restore``; the users and tokens may be others afterwards."""
        try:
            return super().restore(backup, replace=replace)
        finally:
            self._forget_tokens()

    def list_actors(
        self, filters: ActorFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Actor]:
        rows, total = self._list(EntityKind.actor, filters or ActorFilter(), limit, offset)
        items = [Actor.model_validate(r) for r in rows]
        return Page[Actor](items=items, total=total, limit=limit, offset=offset)

    # -- links

    def create_link(
        self, data: LinkCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Link:
        return Link.model_validate(self._create_many(EntityKind.link, [data], by, at)[0])

    def create_links(
        self,
        rows: Sequence[LinkCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Link]:
        return [Link.model_validate(r) for r in self._create_many(EntityKind.link, rows, by, at)]

    def get_link(self, link_id: str, *, as_of: date | None = None) -> Link:
        return Link.model_validate(self._get(EntityKind.link, link_id, as_of))

    def update_link(
        self, link_id: str, changes: LinkUpdate | Mapping[str, Any], *, by: str
    ) -> Link:
        return Link.model_validate(self._update(EntityKind.link, link_id, LinkUpdate, changes, by))

    def end_link(self, link_id: str, until: date, *, by: str) -> Link:
        return Link.model_validate(self._end(EntityKind.link, link_id, until, by))

    def reopen_link(self, link_id: str, *, by: str) -> Link:
        return Link.model_validate(self._reopen(EntityKind.link, link_id, by))

    def retract_link(self, link_id: str, *, by: str, reason: str) -> Link:
        return Link.model_validate(self._retract(EntityKind.link, link_id, by, reason))

    def list_links(
        self, filters: LinkFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Link]:
        rows, total = self._list(EntityKind.link, filters or LinkFilter(), limit, offset)
        items = [Link.model_validate(r) for r in rows]
        return Page[Link](items=items, total=total, limit=limit, offset=offset)

    # -- activities

    def create_activity(
        self, data: ActivityCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Activity:
        return Activity.model_validate(self._create_many(EntityKind.activity, [data], by, at)[0])

    def get_activity(self, activity_id: str, *, as_of: date | None = None) -> Activity:
        return Activity.model_validate(self._get(EntityKind.activity, activity_id, as_of))

    def update_activity(
        self, activity_id: str, changes: ActivityUpdate | Mapping[str, Any], *, by: str
    ) -> Activity:
        record = self._update(EntityKind.activity, activity_id, ActivityUpdate, changes, by)
        return Activity.model_validate(record)

    def end_activity(self, activity_id: str, until: date, *, by: str) -> Activity:
        return Activity.model_validate(self._end(EntityKind.activity, activity_id, until, by))

    def retract_activity(self, activity_id: str, *, by: str, reason: str) -> Activity:
        """An activity recorded by mistake: absent on every date."""
        return Activity.model_validate(self._retract(EntityKind.activity, activity_id, by, reason))

    def list_activities(
        self, filters: ActivityFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Activity]:
        rows, total = self._list(EntityKind.activity, filters or ActivityFilter(), limit, offset)
        items = [Activity.model_validate(r) for r in rows]
        return Page[Activity](items=items, total=total, limit=limit, offset=offset)

    # -- referrals

    def create_referral(
        self, data: ReferralCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Referral:
        return Referral.model_validate(self._create_many(EntityKind.referral, [data], by, at)[0])

    def create_referrals(
        self,
        rows: Sequence[ReferralCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Referral]:
        """Several referrals in one transaction: all are written or none."""
        records = self._create_many(EntityKind.referral, rows, by, at)
        return [Referral.model_validate(r) for r in records]

    def get_referral(self, referral_id: str) -> Referral:
        return Referral.model_validate(self._get(EntityKind.referral, referral_id))

    def update_referral(
        self, referral_id: str, changes: ReferralUpdate | Mapping[str, Any], *, by: str
    ) -> Referral:
        record = self._update(EntityKind.referral, referral_id, ReferralUpdate, changes, by)
        return Referral.model_validate(record)

    def end_referral(self, referral_id: str, closed_on: date, *, by: str) -> Referral:
        """Close a referral's follow-up on ``closed_on``."""
        return Referral.model_validate(self._end(EntityKind.referral, referral_id, closed_on, by))

    def list_referrals(
        self, filters: ReferralFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Referral]:
        rows, total = self._list(EntityKind.referral, filters or ReferralFilter(), limit, offset)
        items = [Referral.model_validate(r) for r in rows]
        return Page[Referral](items=items, total=total, limit=limit, offset=offset)

    # -- neighbourhoods

    def create_neighbourhood(
        self,
        data: NeighbourhoodCreate | Mapping[str, Any],
        *,
        by: str,
        at: datetime | None = None,
    ) -> Neighbourhood:
        records = self._create_many(EntityKind.neighbourhood, [data], by, at)
        return Neighbourhood.model_validate(records[0])

    def get_neighbourhood(
        self, neighbourhood_id: str, *, as_of: date | None = None
    ) -> Neighbourhood:
        return Neighbourhood.model_validate(
            self._get(EntityKind.neighbourhood, neighbourhood_id, as_of)
        )

    def update_neighbourhood(
        self,
        neighbourhood_id: str,
        changes: NeighbourhoodUpdate | Mapping[str, Any],
        *,
        by: str,
    ) -> Neighbourhood:
        record = self._update(
            EntityKind.neighbourhood, neighbourhood_id, NeighbourhoodUpdate, changes, by
        )
        return Neighbourhood.model_validate(record)

    def end_neighbourhood(self, neighbourhood_id: str, until: date, *, by: str) -> Neighbourhood:
        record = self._end(EntityKind.neighbourhood, neighbourhood_id, until, by)
        return Neighbourhood.model_validate(record)

    # -- follow-ups (decided at team meetings)

    def create_follow_up(
        self, data: FollowUpCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> FollowUp:
        return FollowUp.model_validate(self._create_many(EntityKind.follow_up, [data], by, at)[0])

    def get_follow_up(self, follow_up_id: str) -> FollowUp:
        return FollowUp.model_validate(self._get(EntityKind.follow_up, follow_up_id))

    def update_follow_up(
        self, follow_up_id: str, changes: FollowUpUpdate | Mapping[str, Any], *, by: str
    ) -> FollowUp:
        record = self._update(EntityKind.follow_up, follow_up_id, FollowUpUpdate, changes, by)
        return FollowUp.model_validate(record)

    def list_follow_ups(
        self, filters: FollowUpFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[FollowUp]:
        rows, total = self._list(EntityKind.follow_up, filters or FollowUpFilter(), limit, offset)
        items = [FollowUp.model_validate(r) for r in rows]
        return Page[FollowUp](items=items, total=total, limit=limit, offset=offset)

    # -- observations (what actors say about the neighbourhood: the diagnosis)

    def people_named_in(self, neighbourhood: str) -> list[str]:
        """The names an observation about ``neighbourhood`` may not hold: its key residents'
        pseudonyms and its actors' contact persons."""
        names: list[str] = []
        offset = 0
        while True:
            page = self.list_actors(
                ActorFilter(neighbourhood=neighbourhood), limit=1000, offset=offset
            )
            for actor in page.items:
                if actor.kind is ActorKind.key_resident:
                    names.append(actor.name)
                names.extend(c.name for c in actor.contacts)
            offset += len(page.items)
            if not page.items or offset >= page.total:
                return names

    def _check_observations(self, rows: Sequence[ObservationFields]) -> None:
        """Refuse, naming each, the texts that point at a person (``graph/personal.py``)."""
        people: dict[str, list[str]] = {}
        problems = []
        for index, row in enumerate(rows):
            place = normalise_name(row.neighbourhood)
            if place not in people:
                people[place] = self.people_named_in(row.neighbourhood)
            for said in personal_data(row.text, people[place]):
                problems.append({"row": index, "field": "text", "message": said})
        if problems:
            raise InvalidInput(describe(problems, rows=len(rows) > 1), details=problems)

    def create_observation(
        self, data: ObservationCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Observation:
        return self.create_observations([data], by=by, at=at)[0]

    def create_observations(
        self,
        rows: Sequence[ObservationCreate | Mapping[str, Any]],
        *,
        by: str,
        at: datetime | None = None,
    ) -> list[Observation]:
        checked = validate_rows(ObservationCreate, rows)
        self._check_observations(checked)
        made = self._create_many(EntityKind.observation, checked, by, at)
        return [Observation.model_validate(r) for r in made]

    def get_observation(self, observation_id: str) -> Observation:
        return Observation.model_validate(self._get(EntityKind.observation, observation_id))

    def update_observation(
        self, observation_id: str, changes: ObservationUpdate | Mapping[str, Any], *, by: str
    ) -> Observation:
        checked = validate(ObservationUpdate, changes)
        if checked.text is not None:
            current = self.get_observation(observation_id)
            self._check_observations([current.model_copy(update={"text": checked.text})])
        record = self._update(
            EntityKind.observation, observation_id, ObservationUpdate, checked, by
        )
        return Observation.model_validate(record)

    def retract_observation(self, observation_id: str, *, by: str, reason: str) -> Observation:
        """An observation recorded by mistake: left out of every list and diagnosis."""
        record = self._retract(EntityKind.observation, observation_id, by, reason)
        return Observation.model_validate(record)

    def list_observations(
        self, filters: ObservationFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Observation]:
        f = filters or ObservationFilter()
        rows, total = self._list(EntityKind.observation, f, limit, offset)
        items = [Observation.model_validate(r) for r in rows]
        return Page[Observation](items=items, total=total, limit=limit, offset=offset)

    # -- crisis lists

    def create_crisis(
        self, data: CrisisCreate | Mapping[str, Any], *, by: str, at: datetime | None = None
    ) -> Crisis:
        return Crisis.model_validate(self._create_many(EntityKind.crisis, [data], by, at)[0])

    def get_crisis(self, crisis_id: str, *, as_of: date | None = None) -> Crisis:
        return Crisis.model_validate(self._get(EntityKind.crisis, crisis_id, as_of))

    def update_crisis(
        self, crisis_id: str, changes: CrisisUpdate | Mapping[str, Any], *, by: str
    ) -> Crisis:
        return Crisis.model_validate(self._update(EntityKind.crisis, crisis_id, CrisisUpdate,
                                                  changes, by))  # fmt: skip

    def end_crisis(self, crisis_id: str, until: date, *, by: str) -> Crisis:
        """The crisis is over: the list is closed, and kept with its calls in the history."""
        return Crisis.model_validate(self._end(EntityKind.crisis, crisis_id, until, by))

    def retract_crisis(self, crisis_id: str, *, by: str, reason: str) -> Crisis:
        """A crisis list opened by mistake: absent on every date."""
        return Crisis.model_validate(self._retract(EntityKind.crisis, crisis_id, by, reason))

    def record_call(
        self,
        crisis_id: str,
        call: CallCreate | Mapping[str, Any],
        *,
        by: str,
        at: datetime | None = None,
    ) -> Crisis:
        """One actor of the list called (done), tried (no answer) or back to 'not yet'."""
        checked = validate(CallCreate, call)
        record = self._record_call(crisis_id, checked.model_dump(mode="json"), by, at)
        return Crisis.model_validate(record)

    def list_crises(
        self, filters: CrisisFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Crisis]:
        rows, total = self._list(EntityKind.crisis, filters or CrisisFilter(), limit, offset)
        return Page[Crisis](items=[Crisis.model_validate(r) for r in rows], total=total,
                            limit=limit, offset=offset)  # fmt: skip

    def list_neighbourhoods(
        self, filters: NeighbourhoodFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page[Neighbourhood]:
        f = filters or NeighbourhoodFilter()
        rows, total = self._list(EntityKind.neighbourhood, f, limit, offset)
        items = [Neighbourhood.model_validate(r) for r in rows]
        return Page[Neighbourhood](items=items, total=total, limit=limit, offset=offset)
