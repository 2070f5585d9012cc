"""From a file read to what an import would write: the plan (what is created, updated, left
alone, refused, and which new actors look like existing ones), and the batch the store writes
all or nothing (``graph/bulk.py``). A dry run shows the plan; a real run writes the batch
only when nothing is refused: all or nothing per file.

Matching, so that importing the same file twice changes nothing and an updated file updates:
- an actor is the store's actor with the row's ``id``, else the one with the same name and
  neighbourhood (compared as the store compares them); a new actor takes the row's id when it
  is a stable source id (Kumu's ``_id``, an HSDS UUID, an id of ours), else a new one;
- a link is the open link of the same type between the same two actors;
- ``from``/``to`` name an actor by its id in the file, its id in the store, or its name (in
  the file, else in the store; a name several actors share is refused: use the id).
"""

from __future__ import annotations

import json
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from graph.bulk import Batch, collector_paused
from graph.entities import link_active_key
from graph.errors import InvalidInput, Say
from graph.lookalike import comparable, look_alikes
from graph.model import (
    ActorCreate,
    ActorKind,
    ActorUpdate,
    LinkCreate,
    LinkType,
    natural_key,
    new_id,
    normalise_name,
)
from graph.store import NetworkReader
from graph.validation import field_errors
from ingest.layout import LIST_FIELDS, MISSIONS, Vocabulary, phones_of, words
from ingest.readers import Row, Source, Table, split_list

STABLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
OUR_ID = re.compile(r"^[0-9a-f]{32}$")
UPDATABLE_ACTOR = set(ActorUpdate.model_fields) - {"consent_date"}
UPDATABLE_LINK = {"mission", "strength", "note"}


@dataclass
class Options:
    """What a file may leave out: the neighbourhood and kind of its actors, the type of its
    links (Kumu maps and HSDS packages have no neighbourhoods), and the user's mapping of
    their words onto our kinds and link types (``{"kinds": {…}, "link_types": {…}}``)."""

    neighbourhood: str | None = None
    kind: str | None = None
    link_type: str | None = None
    mapping: Mapping[str, Mapping[str, str]] | None = None


BATCH_ROWS = 20_000  # planned records spilled at a time (the store writes them in chunks)
LISTED = 200  # how many created, updated, refused and look-alike rows a report names


@dataclass
class Listing:
    """How many, and the first ``LISTED`` of them by name: a file of 100,000 links is
    reported with its count and 200 labels, never 100,000 of them kept."""

    count: int = 0
    first: list[str] = field(default_factory=list)

    def add(self, label: Callable[[], str]) -> None:
        self.count += 1
        if len(self.first) < LISTED:
            self.first.append(label())


def _listings() -> dict[str, Listing]:
    return {"actors": Listing(), "links": Listing()}


@dataclass
class Plan:
    source: str
    format: str
    created: dict[str, Listing] = field(default_factory=_listings)
    updated: dict[str, Listing] = field(default_factory=_listings)
    unchanged: dict[str, int] = field(default_factory=lambda: {"actors": 0, "links": 0})
    refused: list[dict[str, Any]] = field(default_factory=list)
    similar: list[dict[str, Any]] = field(default_factory=list)
    #: columns (fields) not kept: {"sheet", "column", "values"}: nothing is dropped unsaid
    not_kept: list[dict[str, Any]] = field(default_factory=list)
    #: what was read otherwise than the file says, row by row: {"sheet", "row", "column",
    #: "reason"} (a Kumu direction our link type does not have, a phone that is not one)
    notes: list[dict[str, Any]] = field(default_factory=list)

    def why_nothing(self) -> Say | None:
        """Why an import writes nothing, in a sentence (None when it writes something)."""
        if any(v.count for v in (*self.created.values(), *self.updated.values())):
            return None
        if self.refused:
            return Say("rows were refused: nothing is written until every row is right")
        if any(self.unchanged.values()):
            return Say(
                "everything in the file is already recorded as it says ({actors} actors, "
                "{links} links)",
                actors=self.unchanged["actors"],
                links=self.unchanged["links"],
            )
        if self.not_kept:
            return Say(
                "no row has a value in a column Maillage reads (actors need a name column, "
                "links from and to): see the columns not kept"
            )
        return Say("the file holds no actor and no link")

    def report(self) -> dict[str, Any]:
        """The plan as data (API answers, ``--dry-run``): counts, then the first of each."""
        return {
            "source": self.source,
            "format": self.format,
            "counts": {
                "created": {k: v.count for k, v in self.created.items()},
                "updated": {k: v.count for k, v in self.updated.items()},
                "unchanged": self.unchanged,
                "refused": len(self.refused),
                "similar": len(self.similar),
            },
            "created": {k: v.first for k, v in self.created.items()},
            "updated": {k: v.first for k, v in self.updated.items()},
            "refused": self.refused[:LISTED],
            "similar": self.similar[:LISTED],
            "not_kept": self.not_kept[:LISTED],
            "notes": self.notes[:LISTED],
            "nothing_written": self.why_nothing(),
        }


class _Planner:
    def __init__(self, store: NetworkReader, source: Source, options: Options) -> None:
        self.store = store
        self.source = source
        self.options = options
        self.plan = Plan(source.name, source.format)
        self.vocabulary = _vocabulary(options.mapping)
        history = store.history()
        self.actors: dict[str, dict[str, Any]] = dict(history.nodes(data=True))
        self.by_key = {d["natural_key"]: i for i, d in self.actors.items()}
        self.by_name: dict[str, list[str]] = {}
        self.by_place: dict[str, dict[str, str]] = {}  # neighbourhood -> {id: name}, today's
        for actor_id, data in self.actors.items():
            if data.get("until") is None:
                name = normalise_name(data["name"])
                self.by_name.setdefault(name, []).append(actor_id)
                place = normalise_name(data["neighbourhood"])
                self.by_place.setdefault(place, {})[actor_id] = comparable(data["name"])
        self.open_links = {
            d["active_key"] if "active_key" in d else link_active_key(d): d
            for *_, d in history.edges(data=True)
            if d.get("until") is None
        }
        # ended links too: a file made on a date holds them, and importing it twice must
        # find them again (by their id, or by ends, type and dates when the file has none)
        self.links_by_id = {str(d["id"]): d for *_, d in history.edges(data=True)}
        self.ended_links = {
            _ended_key(d): d for *_, d in history.edges(data=True) if d.get("until") is not None
        }
        self.places = {normalise_name(n.name) for n in store.list_neighbourhoods(limit=1000).items}
        self.refs: dict[str, str] = {}  # the file's own id -> actor id
        self.names: dict[str, list[str]] = {}  # normalised name in the file -> actor ids
        self.keys_seen: dict[str, int] = {}
        self.first_rows: dict[str, tuple[str | None, ActorCreate, str]] = {}  # ref, actor, id
        self.refused_refs: dict[str, int] = {}  # the file's id of a refused row -> its row
        self.new_by_id: dict[str, str] = {}  # new actor id -> its name
        self.batch = Batch()  # planned, not yet handed to the store

    def batches(self, progress: Callable[[int], None] | None = None) -> Iterator[Batch]:
        """Read and plan every row (the tables stream them), handing over what is planned
        ``BATCH_ROWS`` records at a time; ``self.plan`` counts and lists as it goes."""
        seen: dict[str, int] = {}
        for table in self.source.tables:
            for count, row in enumerate(table.rows, start=1):
                if table.kind == "actors":
                    self.actor_row(table, row)
                else:
                    for one in self._connections(row):
                        self.link_row(table, one, seen)
                if progress is not None and count % 500 == 0:
                    progress(500)
                if len(self.batch) >= BATCH_ROWS:
                    yield self.batch
                    self.batch = Batch()
            # counted as the rows went by: read once they are all read
            self.plan.not_kept += [
                {"sheet": table.sheet, "column": column, "values": count}
                for column, count in table.not_kept.items()
            ]
            self.plan.notes += [{"sheet": table.sheet, **note} for note in table.notes]
        if len(self.batch):
            yield self.batch
            self.batch = Batch()

    def refuse_file(self) -> None:
        """Raise, with the report, if any row was refused."""
        if not self.plan.refused:
            return
        first = self.plan.refused[0]
        raise InvalidInput(
            Say(
                "{file}: nothing imported (refused rows: {count}); the first: {sheet}, row {row}, "
                "{column}: {reason}",
                file=self.source.name,
                count=len(self.plan.refused),
                sheet=first["sheet"],
                row=first["row"],
                column=first["column"] or "-",
                reason=first["reason"],
            ),
            details={**self.plan.report(), "written": None},
        )

    # ------------------------------------------------------------------ problems

    def refuse(self, table: Table, row: Row, name: str | None, reason: str) -> None:
        if table.kind == "actors" and row.get("id") is not None:  # links to it say so
            self.refused_refs.setdefault(str(row.get("id")), row.number)
        self.plan.refused.append(_where(table, row, name, reason))

    def note(self, table: Table, row: Row, name: str | None, reason: str) -> None:
        self.plan.notes.append(_where(table, row, name, reason))

    def refuse_invalid(self, table: Table, row: Row, exc: ValidationError) -> None:
        for problem in field_errors(exc.errors(include_url=False, include_input=False)):
            self.refuse(
                table, row, (problem["field"] or "").split(".")[0] or None, problem["message"]
            )

    # ------------------------------------------------------------------ actors

    def actor_row(self, table: Table, row: Row) -> None:
        data: dict[str, Any] = {}
        for name, value in row.values.items():
            if name == "id" or value is None:
                continue  # an empty cell gives nothing: it never clears what is recorded
            data[name] = split_list(value) if name in LIST_FIELDS else value
        for name in LIST_FIELDS:
            if name in data and isinstance(data[name], list):
                data[name] = [str(v) for v in data[name]]
        given = data.pop("phones", "")
        phones = given if isinstance(given, list) else phones_of(given)  # HSDS: a list
        phones += phones_of(data.pop("mobile", ""), "mobile")
        if phones:
            data["phones"] = phones
        kind_words = data.pop("kind_words", None) or []  # HSDS: taxonomy terms, organisation
        word = data.get("kind") or next(
            (w for w in kind_words if self.vocabulary.kind(str(w))), self.options.kind
        )
        if word is None:
            return self.refuse(table, row, "kind", Say("an actor needs a kind"))
        kind = self.vocabulary.kind(str(word))
        if kind is None:
            return self.refuse(
                table, row, "kind",
                Say("unknown kind '{word}': use one of ours or map it (--mapping)", word=word),
            )  # fmt: skip
        data["kind"] = kind
        data["neighbourhood"] = data.get("neighbourhood") or self.options.neighbourhood
        if not data["neighbourhood"]:
            return self.refuse(
                table, row, "neighbourhood",
                Say("an actor needs a neighbourhood (a column, or --neighbourhood)"),
            )  # fmt: skip
        if normalise_name(str(data["neighbourhood"])) not in self.places:
            return self.refuse(
                table, row, "neighbourhood",
                Say("'{name}' is not a recorded neighbourhood: a coordinator records it first",
                    name=data["neighbourhood"]),
            )  # fmt: skip
        for name in ("description", "address", "subtype", "name", "neighbourhood", "email",
                     "website"):  # fmt: skip
            if name in data and data[name] is not None:
                data[name] = str(data[name])
        try:
            checked = ActorCreate.model_validate(data)
        except ValidationError as exc:
            return self.refuse_invalid(table, row, exc)
        key = natural_key(checked.name, checked.neighbourhood)
        ref = row.get("id")
        ref = None if ref is None else str(ref)
        if key in self.keys_seen:
            return self._same_name(table, row, key, checked, ref)
        self.keys_seen[key] = row.number
        existing_id = ref if ref is not None and ref in self.actors else self.by_key.get(key)
        if existing_id is not None:
            actor_id = existing_id
            self._compare_actor(actor_id, checked, data)
        else:
            actor_id = ref if ref is not None and self._stable(ref) else new_id()
            self.batch.new_actors.append((actor_id, checked))
            self.plan.created["actors"].add(lambda: checked.name)
            self.new_by_id[actor_id] = checked.name
            self._look_alike(table, row, checked)
        if ref is not None:
            self.refs[ref] = actor_id
        self.names.setdefault(normalise_name(checked.name), []).append(actor_id)
        self.first_rows[key] = (ref, checked, actor_id)

    def _same_name(
        self, table: Table, row: Row, key: str, checked: ActorCreate, ref: str | None
    ) -> None:
        """A second row with the name of an earlier one (in the same neighbourhood). Kumu
        reads one element when the type agrees and no two ids differ: so here, and the row's
        other values are said to be left aside when they differ. Otherwise it is refused,
        and the connections that name its id are told so (not "no such actor")."""
        first_ref, first, first_id = self.first_rows[key]
        earlier = self.keys_seen[key]
        kumu = self.source.format.startswith("kumu")
        if kumu and first.kind == checked.kind and (ref is None or first_ref in (None, ref)):
            if ref is not None:
                self.refs[ref] = first_id
            differ = sorted(
                n for n in checked.model_fields_set
                if n != "name" and getattr(checked, n) != getattr(first, n)
            )  # fmt: skip
            self.note(
                table, row, "name",
                Say("the same element as row {row} (Kumu reads one element per label and "
                    "type){rest}", row=earlier,
                    rest=Say("; its {fields} differ and are not kept", fields=", ".join(differ))
                    if differ else ""),
            )  # fmt: skip
            return None
        if kumu and first.kind != checked.kind:
            reason = Say(
                "labelled like row {row} but of another type ({first}, {this}): Maillage keeps "
                "one actor per name in a neighbourhood — rename one",
                row=earlier, first=first.kind.value, this=checked.kind.value,
            )  # fmt: skip
        elif kumu:
            reason = Say(
                "labelled like row {row} with another id ({first}, {this}): Maillage keeps one "
                "actor per name in a neighbourhood — rename one",
                row=earlier, first=first_ref, this=ref,
            )  # fmt: skip
        else:
            reason = Say("the same actor as row {row} (same name and neighbourhood)", row=earlier)
        return self.refuse(table, row, "name", reason)

    def _stable(self, ref: str) -> bool:
        """A source id that names the same record in every version of the file: an id of
        ours, or Kumu's and HSDS's own (a spreadsheet's "1", "2" are only row numbers)."""
        if OUR_ID.match(ref):
            return True
        return self.source.format in ("kumu-json", "kumu-xlsx", "hsds") and bool(
            STABLE_ID.match(ref)
        )

    def _compare_actor(self, actor_id: str, checked: ActorCreate, given: Mapping[str, Any]) -> None:
        before = self.actors[actor_id]
        after = checked.model_dump()
        changes = {
            name: after[name]
            for name in given
            if name in UPDATABLE_ACTOR and after.get(name) != before.get(name)
        }
        if changes:
            patch = ActorUpdate.model_validate(changes).model_dump(mode="json", exclude_unset=True)
            self.batch.changed_actors.append((actor_id, patch))
            self.plan.updated["actors"].add(
                lambda: f"{before['name']}: {', '.join(sorted(changes))}"
            )
        else:
            self.plan.unchanged["actors"] += 1

    def _look_alike(self, table: Table, row: Row, checked: ActorCreate) -> None:
        local = self.by_place.get(normalise_name(checked.neighbourhood))
        if not local:
            return
        hits = look_alikes(checked.name, local, limit=1)
        if hits:
            existing = self.actors[hits[0]]
            self.plan.similar.append(
                {
                    "sheet": table.sheet,
                    "row": row.number,
                    "name": checked.name,
                    "existing": {"id": hits[0], "name": existing["name"]},
                    "reason": Say(
                        "'{name}' looks like '{existing}', already recorded: created as another "
                        "actor, not merged (retract it if it is the same)",
                        name=checked.name,
                        existing=existing["name"],
                    ),
                }
            )

    # ------------------------------------------------------------------ links

    def actor_of(self, value: Any) -> tuple[str | None, Say | None]:
        text = str(value)
        if text in self.refs:
            return self.refs[text], None
        if text in self.refused_refs:
            return None, Say(
                "'{name}' is the actor refused at row {row} (see that row first)",
                name=text, row=self.refused_refs[text],
            )  # fmt: skip
        if text in self.actors and self.actors[text].get("until") is None:
            return text, None
        named = self.names.get(normalise_name(text)) or self.by_name.get(normalise_name(text))
        if not named:
            return None, Say("no actor '{name}' in the file nor in the store", name=text)
        if len(set(named)) > 1:
            return None, Say("several actors are named '{name}': use the id", name=text)
        return named[0], None

    def _connections(self, row: Row) -> list[Row]:
        """A Kumu connection row whose From or To holds several names ("A|B") is one
        connection per name in Kumu, so here too; other formats keep a row a link."""
        if not self.source.format.startswith("kumu"):
            return [row]
        ends = {}
        for name in ("source", "target"):
            value = row.get(name)
            parts = [p.strip() for p in str(value).split("|")] if isinstance(value, str) else []
            ends[name] = [p for p in parts if p] or [value]
        if len(ends["source"]) == 1 and len(ends["target"]) == 1:
            return [row]
        return [
            Row(row.number, {**row.values, "source": a, "target": b}, row.columns)
            for a in ends["source"]
            for b in ends["target"]
        ]

    def link_row(self, table: Table, row: Row, seen: dict[str, int]) -> None:
        word = row.get("type") or self.options.link_type
        if word is None:
            return self.refuse(
                table, row, "type", Say("a link needs a type (a column, or --link-type)")
            )
        link_type = self.vocabulary.link_type(str(word))
        if link_type is None:
            return self.refuse(
                table, row, "type",
                Say("unknown link type '{word}': use one of ours or map it (--mapping)",
                    word=word),
            )  # fmt: skip
        ends = {}
        for name in ("source", "target"):
            value = row.get(name)
            if value is None:
                return self.refuse(table, row, name, Say("a link needs both ends"))
            actor_id, problem = self.actor_of(value)
            if problem is not None:
                return self.refuse(table, row, name, problem)
            ends[name] = actor_id
        data: dict[str, Any] = {**ends, "type": link_type}
        values = row.values
        mission = values.get("mission")
        if mission is not None:
            data["mission"] = MISSIONS.get(words(str(mission)), str(mission))
        for name in ("strength", "since", "until", "note"):
            value = values.get(name)
            if value is not None:
                data[name] = value
        if isinstance(data.get("note"), int | float):
            data["note"] = str(data["note"])
        try:
            checked = LinkCreate.model_validate(data)
        except ValidationError as exc:
            return self.refuse_invalid(table, row, exc)
        data["type"] = checked.type.value
        data["directed"] = checked.type.directed
        if row.get("direction") is not None and self._direction(table, row, checked, seen):
            return None
        key = link_active_key(data)
        if key is not None and key in seen:
            return self.refuse(
                table, row, "source",
                Say("the same link as row {row}", row=seen[key]),
            )  # fmt: skip
        if key is not None:
            seen[key] = row.number
        existing = self.open_links.get(key) if key is not None else None
        ref = row.get("id")
        if existing is None and ref is not None:
            existing = self.links_by_id.get(str(ref))
        if existing is None and checked.until is not None:
            existing = self.ended_links.get(_ended_key(checked.model_dump(mode="json")))

        def label() -> str:
            return (
                f"{self._name(checked.source)} — {checked.type.value} — "
                f"{self._name(checked.target)}"
            )

        if existing is not None:
            after = checked.model_dump(mode="json")
            changes = {
                n: after[n] for n in UPDATABLE_LINK if n in data and after[n] != existing.get(n)
            }
            if changes:
                self.batch.changed_links.append((existing["id"], changes))
                self.plan.updated["links"].add(lambda: f"{label()}: {', '.join(sorted(changes))}")
            else:
                self.plan.unchanged["links"] += 1
            return
        link_id = str(ref) if ref is not None and self._stable(str(ref)) else new_id()
        self.batch.new_links.append((link_id, checked))
        self.plan.created["links"].add(label)

    def _direction(self, table: Table, row: Row, checked: LinkCreate, seen: dict[str, int]) -> bool:
        """Kumu's Direction (directed, undirected, mutual) against our type's own: "mutual" on
        a directed type is a link each way (as Kumu draws it); otherwise the type's direction
        is kept and the row says so. True when the row was planned here."""
        said = words(str(row.get("direction")))
        directed = checked.type.directed
        name = checked.type.value
        if said == "mutual" and directed:
            self.note(
                table,
                row,
                "direction",
                Say("'mutual' on a {type} link: recorded as two links, one each way", type=name),
            )
            values = {k: v for k, v in row.values.items() if k not in ("direction", "id")}
            self.link_row(table, Row(row.number, values, row.columns), seen)
            back = {**values, "source": row.get("target"), "target": row.get("source")}
            self.link_row(table, Row(row.number, back, row.columns), seen)
            return True
        if said == "directed" and not directed:
            self.note(
                table,
                row,
                "direction",
                Say(
                    "'directed' on a {type} link: recorded without direction ({type} goes both "
                    "ways in Maillage; map it to a directed type to keep the arrow)",
                    type=name,
                ),
            )
        elif said == "undirected" and directed:
            self.note(
                table,
                row,
                "direction",
                Say(
                    "'undirected' on a {type} link: recorded from 'from' to 'to' ({type} has a "
                    "direction in Maillage)",
                    type=name,
                ),
            )
        elif said not in ("directed", "undirected", "mutual"):
            self.note(
                table,
                row,
                "direction",
                Say(
                    "direction '{word}' is not Kumu's (directed, undirected, mutual): the {type} "
                    "link keeps its own",
                    word=row.get("direction"),
                    type=name,
                ),
            )
        return False

    def _name(self, actor_id: str) -> str:
        if actor_id in self.actors:
            return str(self.actors[actor_id]["name"])
        return self.new_by_id.get(actor_id, actor_id)


def _where(table: Table, row: Row, name: str | None, reason: str) -> dict[str, Any]:
    """Where in the file, and why: a refused row's or a note's sheet, row, column, reason."""
    column = (row.column(name) if name else None) or name
    return {"sheet": table.sheet, "row": row.number, "column": column, "reason": reason}


def _ended_key(link: Mapping[str, Any]) -> tuple[Any, ...]:
    """An ended link's identity without its id: its ends (in order when it is directed), its
    type and its dates."""
    ends: Any = (link["source"], link["target"])
    if not link.get("directed", True):
        ends = frozenset(ends)
    return (ends, str(link["type"]), str(link.get("since") or ""), str(link.get("until") or ""))


def mapping_from_json(text: str | None) -> dict[str, Any] | None:
    """The mapping as the API and the import page take it: a JSON object, or nothing."""
    if not text or not text.strip():
        return None
    try:
        given = json.loads(text)
    except RecursionError as exc:
        raise InvalidInput(Say("the mapping is nested too deeply")) from exc
    except ValueError as exc:
        raise InvalidInput(Say("the mapping is not JSON: {problem}", problem=str(exc))) from exc
    if not isinstance(given, dict):
        raise InvalidInput(Say("the mapping is a JSON object"))
    return given


def _vocabulary(mapping: Mapping[str, Mapping[str, str]] | None) -> Vocabulary:
    """Our words and the user's mapping, checked: a mapping onto a kind or a link type we do
    not have is refused."""
    given = mapping or {}
    unknown = sorted(set(given) - {"kinds", "link_types"})
    if unknown:
        raise InvalidInput(
            Say("a mapping has 'kinds' and 'link_types', not '{key}'", key=unknown[0])
        )
    kinds = {k.value for k in ActorKind}
    types = {t.value for t in LinkType}
    for group, allowed in (("kinds", kinds), ("link_types", types)):
        for word, ours in (given.get(group) or {}).items():
            if ours not in allowed:
                raise InvalidInput(
                    Say("the mapping sends '{word}' to '{ours}', which is not one of ours",
                        word=word, ours=ours)
                )  # fmt: skip
    return Vocabulary.with_mapping(given)


def run_import(
    store: NetworkReader,
    source: Source,
    *,
    by: str,
    options: Options | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Plan every row of ``source`` as it is read, then write when asked and nothing is
    refused. The planned batches (``BATCH_ROWS`` records each) are spilled as they come to an
    unnamed file (mode 0600, gone when closed), so that what is held at once is a batch and
    the keys, not the file; the store then writes them a chunk per transaction, all or
    nothing (``graph/bulk.py``): a refused row is found before anything is written, and other
    users' writes wait for a chunk, never for the planning. A refused row raises InvalidInput
    with the report as details; nothing is imported."""
    planner = _Planner(store, source, options or Options())
    with collector_paused(), tempfile.TemporaryFile() as spill:
        planned = 0
        for batch in planner.batches(progress):
            if not dry_run and not planner.plan.refused:
                pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
                planned += 1
        planner.refuse_file()
        if dry_run or not planned:
            return {**planner.plan.report(), "written": None}
        spill.seek(0)

        def spilled() -> Iterator[Batch]:
            for _ in range(planned):
                # our own batches, written just above to a file only this process opened
                yield pickle.load(spill)  # noqa: S301

        written = store.import_batches(spilled(), by=f"{by} (import: {source.name})")
    return {**planner.plan.report(), "written": written}
