"""The generic record engine: create (one or many, all or nothing), read, update, end and list
any kind of record, with validation, references, duplicates and one event per write. The
per-entity differences come from ``graph/entities.py``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from graph.entities import SPECS, EntitySpec, record_valid_on
from graph.errors import Conflict, InvalidInput, NotFound, Say
from graph.events import make_event
from graph.model import ActorStatus, EntityKind, EventAction, new_id, normalise_name, now, stamp
from graph.tx import ReadTx, Record, Transactional, WriteTx, page_bounds
from graph.validation import check_until, check_user, describe, validate

RETRACTABLE = (EntityKind.actor, EntityKind.link)


def _spec(entity: EntityKind) -> EntitySpec:
    return SPECS[entity]


def _no_such(spec: EntitySpec, record_id: str) -> NotFound:
    return NotFound(
        Say("no {word} has the id '{id}'", word=spec.noun, id=record_id), details={"id": record_id}
    )


def no_such(entity: EntityKind, record_id: str) -> NotFound:
    """What an unknown id answers (a record the reader may not see answers the same)."""
    return _no_such(_spec(entity), record_id)


def _reason(reason: str | None, asked: Say) -> str:
    """The reason a retraction or an erasure keeps in the history: 1 to 500 characters."""
    why = (reason or "").strip()
    if not why or len(why) > 500:
        raise InvalidInput(asked, details=[{"field": "reason", "message": Say("required")}])
    return why


def _dump(model: BaseModel) -> Record:
    return model.model_dump(mode="json")


def _derive(spec: EntitySpec, record: Record) -> None:
    record.update(spec.derive(record))


def _check_record(spec: EntitySpec, record: Record) -> None:
    """Validate a whole record as it will be stored, before anything is written."""
    if spec.record is not None:
        validate(spec.record, record)


#: the records whose stored keys come from names (normalise_name)
NAMED = (EntityKind.neighbourhood, EntityKind.actor, EntityKind.activity, EntityKind.follow_up)


def _coded(record: Record) -> Record:
    """The record's vocabulary words as codes ("santé" -> ``health``: graph/vocabulary.py)."""
    from graph.vocabulary import code_of, codes_of

    out = dict(record)
    for field in ("themes", "languages", "target_groups"):
        if isinstance(out.get(field), list):
            out[field] = codes_of(field, out[field])
    if isinstance(out.get("subtype"), str):
        out["subtype"] = code_of("subtypes", out["subtype"])
    access = out.get("access")
    if isinstance(access, dict) and isinstance(access.get("desk_languages"), list):
        out["access"] = {
            **access,
            "desk_languages": codes_of("languages", access["desk_languages"]),
        }
    return out


def renormalise(tx: WriteTx) -> int:
    """Compute again what a store keeps from names and words after the way they compare has
    changed (``NAMES_VERSION``): the keys from names (``normalise_name``) and the vocabulary's
    codes (``graph/vocabulary.py``); no event (the record says the same). A record whose new
    key another already has keeps its old one. The records changed."""
    changed = 0
    for entity in NAMED:
        spec = SPECS[entity]
        records = tx.every(entity)
        keys = {r.get("natural_key") for r in records}
        for record in records:
            again = _coded({**record, **spec.derive(record)})
            if again == record:
                continue
            key = again.get("natural_key")
            if key != record.get("natural_key") and key in keys:
                again["natural_key"] = record.get("natural_key")  # taken: keep the old one
            keys.add(again.get("natural_key"))
            tx.replace(entity, again)
            changed += 1
    return changed


def without_name(text: str, name: str) -> str:
    """A text with a name taken out (case and accents ignored), for an erasure.

    >>> without_name("Selon la Pharmacie Bara, les aînés…", "Pharmacie Bára")
    'Selon la […], les aînés…'
    """
    import re
    import unicodedata

    def fold(s: str) -> str:
        return "".join(
            c for c in unicodedata.normalize("NFKD", s.casefold()) if not unicodedata.combining(c)
        )

    if not name.strip():
        return text
    # fold the text character by character, keeping where each folded character came from
    folded, origin = [], []
    for index, char in enumerate(text):
        for f in fold(char):
            folded.append(f)
            origin.append(index)
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, fold(name).split())) + r"\b")
    out, last = [], 0
    for found in pattern.finditer("".join(folded)):
        start, end = origin[found.start()], origin[found.end() - 1] + 1
        out.append(text[last:start] + "[…]")
        last = end
    return "".join(out) + text[last:]


class RecordEngine(Transactional):
    """Create, get, update, end and list, for every kind of record."""

    def _new_record(
        self,
        spec: EntitySpec,
        model: BaseModel,
        by: str,
        at: datetime,
        record_id: str | None = None,
        check: bool = True,
    ) -> Record:
        """A new record made from a validated ``model``: its id (``record_id`` or a new one),
        who recorded it and when, ``since`` by default the day of recording, the derived
        fields; then the whole record is validated as stored, unless ``check`` is False (an
        import: its 110,000 records are made by this code from models the planner checked)."""
        record = _dump(model)
        record["id"] = record_id or new_id()
        record["recorded_by"] = by
        record["recorded_at"] = stamp(at)
        record["updated_by"] = None
        record["updated_at"] = None
        if "since" in record and record["since"] is None:
            record["since"] = at.date().isoformat()
            if record.get("until") is not None and record["until"] < record["since"]:
                raise InvalidInput(
                    Say(
                        "until: 'until' ({until}) is before 'since', which defaults to the day of "
                        "recording ({since}): give 'since'",
                        until=date.fromisoformat(record["until"]),
                        since=at.date(),
                    ),
                    details=[{"field": "until", "message": Say("before 'since' (default: today)")}],
                )
        _derive(spec, record)
        if check:
            _check_record(spec, record)
        return record

    @staticmethod
    def _check_references(tx: WriteTx, spec: EntitySpec, records: Sequence[Record]) -> None:
        wanted: dict[str, set[str]] = {}
        for record in records:
            for field, ids in spec.references(record).items():
                wanted.setdefault(field, set()).update(ids)
        if not wanted:
            return
        all_ids = sorted(set().union(*wanted.values()))
        found = tx.existing(EntityKind.actor, all_ids)
        problems = [
            {"field": field, "message": Say("no actor has the id '{id}'", id=missing)}
            for field, ids in wanted.items()
            for missing in sorted(ids - found)
        ]
        if problems:
            raise InvalidInput(describe(problems), details=problems)

    @staticmethod
    def _check_places(tx: WriteTx, spec: EntitySpec, records: Sequence[Record]) -> None:
        """An actor or an observation is in a recorded neighbourhood (its name, compared as
        names are): a typo would otherwise make a neighbourhood of one. An observation's
        sectors are among its neighbourhood's statistical sectors (when it lists any)."""
        if spec.kind not in (EntityKind.actor, EntityKind.observation) or not records:
            return
        sectors = {
            normalise_name(n["name"]): list(n.get("sector_codes") or [])
            for n in tx.every(EntityKind.neighbourhood)
        }
        problems = []
        for index, record in enumerate(records):
            place = normalise_name(record["neighbourhood"])
            if place not in sectors:
                problems.append(
                    {
                        "row": index,
                        "field": "neighbourhood",
                        "message": Say(
                            "'{name}' is not a recorded neighbourhood: a coordinator records it "
                            "first",
                            name=record["neighbourhood"],
                        ),
                    }
                )
                continue
            known = sectors[place]
            for code in record.get("sectors") or [] if known else []:
                if code not in known:
                    problems.append(
                        {
                            "row": index,
                            "field": "sectors",
                            "message": Say(
                                "'{code}' is not a statistical sector of {name} ({codes})",
                                code=code,
                                name=record["neighbourhood"],
                                codes=", ".join(known),
                            ),
                        }
                    )
        if problems:
            raise InvalidInput(describe(problems, rows=len(records) > 1), details=problems)

    def _new_records(
        self,
        spec: EntitySpec,
        rows: Sequence[BaseModel | Mapping[str, Any]],
        user: str,
        when: datetime,
        ids: Sequence[str] | None = None,
        check: bool = True,
    ) -> tuple[list[Record], list[dict[str, Any]]]:
        """Records made from rows (with the ``ids`` given, else new ones), and each bad row's
        problems (``row`` is its index): the caller refuses the whole batch if there are any."""
        assert spec.create is not None, f"{spec.word}s are not created here"
        records: list[Record] = []
        problems: list[dict[str, Any]] = []
        for index, row in enumerate(rows):
            try:
                record = self._new_record(
                    spec,
                    validate(spec.create, row),
                    user,
                    when,
                    None if ids is None else ids[index],
                    check,
                )
            except InvalidInput as exc:
                for detail in exc.details or [{"field": None, "message": exc.message}]:
                    problems.append({"row": index, **detail})
                continue
            records.append(record)
        return records, problems

    def _create_many(
        self,
        entity: EntityKind,
        rows: Sequence[BaseModel | Mapping[str, Any]],
        by: str,
        at: datetime | None,
    ) -> list[Record]:
        spec = _spec(entity)
        user = check_user(by)
        when = at or now()
        records, problems = self._new_records(spec, rows, user, when)
        if problems:
            raise InvalidInput(describe(problems, rows=len(rows) > 1), details=problems)
        self._check_batch_duplicates(spec, records)
        events = [make_event(EventAction.create, entity, user, when, None, r) for r in records]

        def work(tx: WriteTx) -> None:
            guarded = tx.guards_places(entity, records)
            if not guarded:
                self._check_places(tx, spec, records)
            self._check_references(tx, spec, records)
            moved = self._agree_in_time(tx, spec, records, user, when)
            if not tx.insert_with_events(entity, records, [*moved, *events]):
                self._check_places(tx, spec, records)  # nothing written: it says why
                raise Conflict(Say("a neighbourhood changed during the write: try again"))

        try:
            self._write(work)
        except Conflict as exc:
            raise self._explain_conflict(spec, records, exc) from exc
        return records

    @staticmethod
    def _agree_in_time(
        tx: WriteTx,
        spec: EntitySpec,
        records: Sequence[Record],
        user: str,
        when: datetime,
        known: dict[str, Record] | None = None,
    ) -> list[Record]:
        """Dates that agree everywhere. Nothing new attaches to an actor ended before it; and a
        link, referral or activity dated before an actor was recorded proves the actor was
        there: its ``since`` moves back to that day, with an event (so lists, networks, paths,
        snapshots and growth all count the record on the same dates). ``known`` holds actors
        as this transaction has them (an import's earlier batches), read again otherwise."""
        started = {
            EntityKind.link: "since",
            EntityKind.referral: "date",
            EntityKind.activity: "since",
        }.get(spec.kind)
        if started is None:
            return []
        references = [spec.references(r) for r in records]
        ids = sorted({i for refs in references for ids in refs.values() for i in ids})
        actors = {} if known is None else known
        missing = [i for i in ids if i not in actors]
        if missing:
            actors.update((a["id"], a) for a in tx.get_many(EntityKind.actor, missing))
        earliest: dict[str, str] = {}
        problems = []
        for index, record in enumerate(records):
            day = record.get(started)
            if not day:
                continue
            for field, refs in references[index].items():
                for actor_id in refs:
                    actor = actors.get(actor_id)
                    if actor is None:
                        continue
                    if actor.get("until") and day >= actor["until"]:
                        problems.append(
                            {
                                "row": index,
                                "field": field,
                                "message": Say(
                                    "'{name}' ended on {until}: nothing new attaches to an ended "
                                    "actor (reopen it first if it is back)",
                                    name=actor["name"],
                                    until=date.fromisoformat(actor["until"]),
                                ),
                            }
                        )
                    elif actor.get("since") and day < actor["since"]:
                        earliest[actor_id] = min(day, earliest.get(actor_id, day))
        if problems:
            raise InvalidInput(describe(problems, rows=len(records) > 1), details=problems)
        events = []
        actor_spec = SPECS[EntityKind.actor]
        for actor_id, day in sorted(earliest.items()):
            before = actors[actor_id]
            after = {**before, "since": day, "updated_by": user, "updated_at": when.isoformat()}
            _derive(actor_spec, after)
            tx.replace(EntityKind.actor, after)
            actors[actor_id] = after
            events.append(
                make_event(EventAction.update, EntityKind.actor, user, when, before, after)
            )
        return events

    @staticmethod
    def _check_batch_duplicates(spec: EntitySpec, records: Sequence[Record]) -> None:
        if spec.unique_key is None:
            return
        seen: dict[str, int] = {}
        for index, record in enumerate(records):
            key = spec.unique_key(record)
            if key is None:
                continue
            if key in seen:
                raise Conflict(
                    Say(
                        "rows {first} and {second} describe the same record",
                        first=seen[key],
                        second=index,
                    ),
                    details={"rows": [seen[key], index]},
                )
            seen[key] = index

    def _explain_conflict(
        self, spec: EntitySpec, records: Sequence[Record], exc: Conflict
    ) -> Conflict:
        """Name the existing record a refused write collided with."""
        unique_key = spec.unique_key
        if unique_key is None:
            return exc

        def find(tx: ReadTx) -> Record | None:
            for record in records:
                key = unique_key(record)
                hit = tx.find_by_key(spec.kind, key) if key else None
                if hit is not None:
                    return hit
            return None

        existing = self._read(find)
        if existing is None:
            return exc
        if spec.kind is EntityKind.link:
            message = Say(
                "an open {type} link already joins these actors (link {id}, recorded by {by})",
                type=existing["type"],
                id=existing["id"],
                by=existing["recorded_by"],
            )
            details = {"existing_id": existing["id"], "existing_type": existing["type"]}
        elif existing.get("until") is not None:
            message = Say(
                "{this} already exists but was closed on {until}: '{name}' (id {id}); reopen "
                "it (POST /api/v1/{word}s/{id}/reopen) instead of recording it again",
                this=spec.this,
                until=date.fromisoformat(existing["until"]),
                name=existing["name"],
                id=existing["id"],
                word=spec.word,
            )
            details = {
                "existing_id": existing["id"],
                "existing_name": existing["name"],
                "closed_on": existing["until"],
            }
        else:
            message = Say(
                "{this} already exists: '{name}' (id {id}); duplicates are refused, not merged",
                this=spec.this,
                name=existing["name"],
                id=existing["id"],
            )
            details = {"existing_id": existing["id"], "existing_name": existing["name"]}
        return Conflict(message, details=details)

    def _get(self, entity: EntityKind, record_id: str, as_of: date | None = None) -> Record:
        record = self._read(lambda tx: tx.get(entity, record_id))
        spec = _spec(entity)
        if record is None:
            raise _no_such(spec, record_id)
        if as_of is not None and not record_valid_on(record, as_of):
            raise NotFound(
                Say(
                    "{this} ({id}) was not there on {day}", this=spec.this, id=record_id, day=as_of
                ),
                details={"id": record_id, "as_of": as_of.isoformat()},
            )
        return record

    def _update(
        self,
        entity: EntityKind,
        record_id: str,
        changes_model: type[BaseModel],
        changes: BaseModel | Mapping[str, Any],
        by: str,
    ) -> Record:
        spec = _spec(entity)
        user = check_user(by)
        update = validate(changes_model, changes)
        patch = update.model_dump(mode="json", exclude_unset=True)
        when = now()
        attempted: list[Record] = []
        if not patch:  # nothing to change: nothing written, no event
            return self._get(entity, record_id)

        def work(tx: WriteTx) -> Record:
            before, after = self._change(tx, spec, record_id, patch, user, when, attempted)
            if after is None:
                return before
            tx.append_events([make_event(EventAction.update, entity, user, when, before, after)])
            return after

        try:
            return self._write(work)
        except Conflict as exc:
            raise self._explain_conflict(spec, attempted, exc) from exc

    def _change(
        self,
        tx: WriteTx,
        spec: EntitySpec,
        record_id: str,
        patch: Mapping[str, Any],
        user: str,
        when: datetime,
        attempted: list[Record],
    ) -> tuple[Record, Record | None]:
        """Apply validated changes to one record in ``tx``: (before, after), or (before, None)
        when they change nothing. The caller appends the event; ``attempted`` gets the record
        written (to name what a refused write collided with)."""
        assert spec.create is not None
        before = tx.get(spec.kind, record_id)
        if before is None:
            raise _no_such(spec, record_id)
        # a field a record has not (written by an older release) takes its default
        fields = {k: before[k] for k in spec.create.model_fields if k in before}
        fields.update(patch)
        for name, field in spec.create.model_fields.items():  # null clears a list: []
            if fields.get(name, ...) is None and field.default_factory is list:
                fields[name] = []
        checked = validate(spec.create, fields)
        after = {**before, **_dump(checked)}
        if after == before:  # the same values again: nothing written, no event
            return before, None
        if spec.kind is EntityKind.actor and after.get("until") and after["status"] != "closed":
            raise InvalidInput(
                Say(
                    "this actor ended on {until}: reopen it (POST /api/v1/actors/{id}/reopen) "
                    "rather than change its status",
                    until=date.fromisoformat(after["until"]),
                    id=record_id,
                ),
                details=[{"field": "status", "message": Say("the actor is ended")}],
            )
        after["updated_by"] = user
        after["updated_at"] = when.isoformat()
        _derive(spec, after)
        _check_record(spec, after)
        if any(after.get(f) != before.get(f) for f in ("neighbourhood", "sectors")):
            self._check_places(tx, spec, [after])
        self._check_references(tx, spec, [after])
        attempted.append(after)
        tx.replace(spec.kind, after)
        return before, after

    def _end(self, entity: EntityKind, record_id: str, until: date, by: str) -> Record:
        """End a record on ``until``; an actor that ends takes its open links with it."""
        spec = _spec(entity)
        user = check_user(by)
        when = now()
        field = spec.ends_as

        def work(tx: WriteTx) -> Record:
            before = tx.get(entity, record_id)
            if before is None:
                raise _no_such(spec, record_id)
            if before.get(field) is not None:
                raise Conflict(
                    Say(
                        "{this} already ended on {day}",
                        this=spec.this,
                        day=date.fromisoformat(before[field]),
                    ),
                    details={"id": record_id, field: before[field]},
                )
            start = before.get("date") if field == "closed_on" else before.get("since")
            retractable = entity in RETRACTABLE
            end = check_until(until, start, spec.this, retractable=retractable)
            after = {**before, field: end, "updated_by": user, "updated_at": when.isoformat()}
            if entity is EntityKind.actor:
                after["status"] = ActorStatus.closed.value
            _derive(spec, after)
            _check_record(spec, after)
            events = [make_event(EventAction.end, entity, user, when, before, after)]
            tx.replace(entity, after)
            if entity is EntityKind.actor:
                # on the same date (or on the day a link began, if that is later)
                for link in tx.open_links_of(record_id):
                    link_end = max(end, link.get("since") or end)
                    ended = {**link, "until": link_end, "updated_by": user}
                    ended["updated_at"] = when.isoformat()
                    tx.replace(EntityKind.link, ended)
                    events.append(
                        make_event(EventAction.end, EntityKind.link, user, when, link, ended)
                    )
            tx.append_events(events)
            return after

        return self._write(work)

    def _list(
        self, entity: EntityKind, filters: BaseModel, limit: int, offset: int
    ) -> tuple[list[Record], int]:
        limit, offset = page_bounds(limit, offset)
        return self._read(lambda tx: tx.query(entity, filters, limit, offset))

    def _reopen(self, entity: EntityKind, record_id: str, by: str) -> Record:
        """Undo an end: the record is true again from its start, with an event saying so."""
        spec = _spec(entity)
        user = check_user(by)
        when = now()
        attempted: list[Record] = []

        def work(tx: WriteTx) -> Record:
            before = tx.get(entity, record_id)
            if before is None:
                raise _no_such(spec, record_id)
            if before.get("until") is None:
                raise Conflict(
                    Say("{this} is not ended", this=spec.this), details={"id": record_id}
                )
            if before.get("retracted"):
                raise Conflict(Say("{this} was retracted: record it again", this=spec.this))
            after = {**before, "until": None, "updated_by": user, "updated_at": when.isoformat()}
            if entity is EntityKind.actor:
                after["status"] = ActorStatus.active.value
            if entity is EntityKind.link:
                ends = tx.existing(EntityKind.actor, [after["source"], after["target"]])
                for end in (after["source"], after["target"]):
                    actor = tx.get(EntityKind.actor, end) if end in ends else None
                    if actor is None or actor.get("until") is not None:
                        raise Conflict(Say("one end of this link is ended: reopen the actor first"))
            _derive(spec, after)
            _check_record(spec, after)
            attempted[:] = [after]
            tx.replace(entity, after)
            tx.append_events([make_event(EventAction.reopen, entity, user, when, before, after)])
            return after

        try:
            return self._write(work)
        except Conflict as exc:
            raise self._explain_conflict(spec, attempted, exc) from exc

    def _confirm_actor(self, actor_id: str, by: str, at: datetime | None = None) -> Record:
        """'Still true': the actor's details were checked today (or ``at``: the demo's past
        rounds) by ``by``. One event, whose before and after differ only in when and by whom
        it was confirmed."""
        spec = _spec(EntityKind.actor)
        user = check_user(by)
        when = at or now()

        def work(tx: WriteTx) -> Record:
            before = tx.get(EntityKind.actor, actor_id)
            if before is None:
                raise _no_such(spec, actor_id)
            if before.get("retracted"):
                raise Conflict(Say("{this} was retracted: record it again", this=spec.this))
            after = {**before, "confirmed_on": when.date().isoformat(), "confirmed_by": user}
            tx.replace(EntityKind.actor, after)
            tx.append_events(
                [make_event(EventAction.confirm, EntityKind.actor, user, when, before, after)]
            )
            return after

        return self._write(work)

    def _record_call(
        self, crisis_id: str, call: Record, by: str, at: datetime | None = None
    ) -> Record:
        """One actor of a crisis list called (or tried): its state, by whom and when (now, or
        ``at``: the demo's past crisis), in one transaction (two phones marking two calls at
        once both count); one event."""
        spec = _spec(EntityKind.crisis)
        user = check_user(by)
        when = at or now()

        def work(tx: WriteTx) -> Record:
            tx.lock(EntityKind.crisis, crisis_id)  # another phone's call waits, then counts
            before = tx.get(EntityKind.crisis, crisis_id)
            if before is None:
                raise _no_such(spec, crisis_id)
            if before.get("until") is not None:
                raise Conflict(
                    Say("{this} was closed on {day}: open a new one", this=spec.this,
                        day=date.fromisoformat(before["until"]))
                )  # fmt: skip
            self._check_references(tx, spec, [{"calls": [{"actor": call["actor"]}]}])
            made = {**call, "by": user, "at": when.isoformat()}
            calls = [c for c in before.get("calls") or [] if c["actor"] != call["actor"]]
            after = {**before, "calls": [*calls, made], "updated_by": user,
                     "updated_at": when.isoformat()}  # fmt: skip
            _check_record(spec, after)
            tx.replace(EntityKind.crisis, after)
            tx.append_events([make_event(EventAction.update, EntityKind.crisis, user, when,
                                         before, after)])  # fmt: skip
            return after

        return self._write(work)

    def _retract(self, entity: EntityKind, record_id: str, by: str, reason: str) -> Record:
        """A record made by mistake: it is true on no date any more (its interval becomes
        empty), its name is free again, and the event keeps who retracted it and why."""
        spec = _spec(entity)
        user = check_user(by)
        why = _reason(
            reason, Say("say why the record is retracted (a reason of 1 to 500 characters)")
        )
        when = now()

        def work(tx: WriteTx) -> Record:
            before = tx.get(entity, record_id)
            if before is None:
                raise _no_such(spec, record_id)
            if before.get("retracted"):
                raise Conflict(Say("{this} was already retracted", this=spec.this))
            start = before.get("since") or when.date().isoformat()
            after = {
                **before,
                "since": start,
                "until": start,
                "retracted": {"by": user, "at": when.isoformat(), "reason": why},
                "updated_by": user,
                "updated_at": when.isoformat(),
            }
            events = [make_event(EventAction.retract, entity, user, when, before, after)]
            if entity is EntityKind.actor:
                after["status"] = ActorStatus.closed.value
                for link in tx.open_links_of(record_id):
                    gone = {
                        **link,
                        "since": link.get("since") or start,
                        "retracted": after["retracted"],
                        "updated_by": user,
                        "updated_at": when.isoformat(),
                    }
                    gone["until"] = gone["since"]
                    tx.replace(EntityKind.link, gone)
                    events.append(
                        make_event(EventAction.retract, EntityKind.link, user, when, link, gone)
                    )
            _derive(spec, after)
            tx.replace(entity, after)
            tx.append_events(events)
            return after

        return self._write(work)

    def _erase_actor(self, actor_id: str, by: str, reason: str) -> None:
        """The privacy erasure: the actor, its links and the referrals naming it are deleted;
        it leaves the activities it took part in; what it alone said about the neighbourhood
        (observations) is deleted, and it is taken out of what others said too (its name out
        of the text); every event about it or its links keeps only
        that something was erased; one event says who erased it, when and why."""
        user = check_user(by)
        why = _reason(reason, Say("say why the actor is erased (a reason of 1 to 500 characters)"))
        when = now()

        def work(tx: WriteTx) -> None:
            if tx.get(EntityKind.actor, actor_id) is None:
                raise _no_such(SPECS[EntityKind.actor], actor_id)
            actor = tx.get(EntityKind.actor, actor_id) or {}
            for activity in tx.activities_with(actor_id):
                kept = [p for p in activity["participants"] if p != actor_id]
                led = [p for p in activity.get("initiators") or [] if p != actor_id]
                tx.replace(
                    EntityKind.activity, {**activity, "participants": kept, "initiators": led}
                )
            said = []  # what the actor alone said goes; where others said it too, its name goes
            for observation in tx.observations_from(actor_id):
                others = [a for a in observation["sources"] if a != actor_id]
                if not others:
                    said.append(observation["id"])
                    continue
                text = without_name(observation["text"], str(actor.get("name") or ""))
                tx.replace(EntityKind.observation, {**observation, "sources": others, "text": text})
            tx.delete_many(EntityKind.observation, said)
            for crisis in tx.crises_calling(actor_id):
                calls = [c for c in crisis["calls"] if c["actor"] != actor_id]
                tx.replace(EntityKind.crisis, {**crisis, "calls": calls})
            links = tx.erase_actor(actor_id)
            tx.scrub_events(actor_id, [actor_id, *links, *said], {"erased": True})
            note = {
                "id": actor_id,
                "erased": True,
                "by": user,
                "at": when.isoformat(),
                "reason": why,
                "links_erased": len(links),
            }
            event = make_event(EventAction.delete, EntityKind.actor, user, when, None, note)
            event["actors"] = []  # nothing points at the erased actor any more
            tx.append_events([event])

        self._write(work)
