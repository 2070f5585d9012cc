"""Open Referral HSDS social maps: the tabular data packages of HSDS 1.x and 3.0
(``datapackage.json`` and one CSV per object, a zip or a folder) and HSDS 3.0 JSON (an
organisation or a service with its objects nested, one or a list, or an API page with
``contents``) — the way to seed a neighbourhood's directory from a published social map.

Both forms become the same tables first (:class:`_Package`: organizations, services,
locations, service_at_location, phones, contacts, schedules, languages, taxonomy terms), then
the same actors and links:

- each organisation is an actor: name, description, e-mail, website, the address and
  coordinates of its first location, and its phones, contacts and opening hours;
- each service is an actor too, *at its own location* (its first ``service_at_location``,
  else its organisation's), with its phones, contacts, hours, languages (as codes) and themes
  (its taxonomy terms), linked to its organisation (``MEMBER_OF``); a service named like its
  organisation is the organisation itself: what it has goes to it;
- a phone, a contact or a schedule goes to what it names: a contact's phone to the contact,
  a service at a location's to that service, a location's to its organisation;
- the kind: the first of its taxonomy terms, its organisation's name or id that the user's
  mapping (``{"kinds": {…}}``) or our vocabulary knows; else ``--kind``.

Nothing is dropped without a word: every column and nested field not kept is counted in the
report (``Table.not_kept``), and a value our directory refuses (a phone libphonenumber does
not know, a latitude of 100, a schedule without hours) is left out with its reason
(``Table.notes``), the actor still coming in. Ids are the package's own, so importing the
package again (or its next version) updates rather than duplicates.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from graph.errors import Say
from graph.model import ContactPerson, Email, Opening, Website, e164
from graph.validation import field_errors
from ingest.readers import Row, Table, cell_value, decode, refuse

#: the objects read, under their tabular names; and the columns of each that are kept
USED: dict[str, frozenset[str]] = {
    "organizations": frozenset({"id", "name", "description", "email", "url", "website"}),
    "services": frozenset(
        {"id", "organization_id", "name", "description", "email", "url", "status",
         "taxonomy_ids"}
    ),
    "locations": frozenset({"id", "organization_id", "name", "latitude", "longitude"}),
    "addresses": frozenset(
        {"id", "location_id", "address_1", "address_2", "postal_code", "city", "country"}
    ),
    "service_at_location": frozenset({"id", "service_id", "location_id"}),
    "phones": frozenset(
        {"id", "organization_id", "service_id", "location_id", "contact_id",
         "service_at_location_id", "number", "type"}
    ),
    "contacts": frozenset(
        {"id", "organization_id", "service_id", "location_id", "service_at_location_id",
         "name", "title", "email"}
    ),
    "schedules": frozenset(
        {"id", "service_id", "location_id", "service_at_location_id", "weekday", "byday",
         "opens_at", "closes_at"}
    ),
    "languages": frozenset({"id", "service_id", "location_id", "language", "name", "code"}),
    "taxonomy_terms": frozenset({"id", "name", "term"}),
    "service_terms": frozenset({"id", "service_id", "taxonomy_id", "taxonomy_term_id"}),
    "attributes": frozenset({"id", "link_id", "taxonomy_term_id"}),
}  # fmt: skip

#: a package's file -> the table it fills (1.x and 3.0 names; both taxonomy link files)
FILES = {
    "organizations.csv": "organizations",
    "services.csv": "services",
    "locations.csv": "locations",
    "physical_addresses.csv": "addresses",  # 1.x
    "addresses.csv": "addresses",  # 3.0
    "services_at_location.csv": "service_at_location",  # 1.x
    "service_at_location.csv": "service_at_location",  # 3.0
    "phones.csv": "phones",
    "contacts.csv": "contacts",
    "regular_schedules.csv": "schedules",  # 1.x
    "schedules.csv": "schedules",  # 3.0
    "languages.csv": "languages",
    "taxonomy.csv": "taxonomy_terms",  # 1.x
    "taxonomy_terms.csv": "taxonomy_terms",  # 2.0, 3.0
    "service_taxonomy.csv": "service_terms",  # as 1.0 named it
    "services_taxonomy.csv": "service_terms",  # as the 1.1 sample package names it
    "service_attributes.csv": "service_terms",  # 2.0
    "attributes.csv": "attributes",  # 3.0: link_id is the service's id
}
#: files that describe the package, not the network: read by nobody, counted by nobody
ABOUT = {"datapackage.json", "metadata.csv", "meta_table_descriptions.csv"}

#: HSDS 3.0 JSON: object -> {nested key: table}; and the column a child takes its parent's id in
CHILDREN: dict[str, dict[str, str]] = {
    "organizations": {"services": "services", "locations": "locations", "phones": "phones",
                      "contacts": "contacts"},
    "services": {"organization": "organizations", "service_at_locations": "service_at_location",
                 "phones": "phones", "contacts": "contacts", "schedules": "schedules",
                 "languages": "languages", "attributes": "attributes"},
    "service_at_location": {"location": "locations", "phones": "phones", "contacts": "contacts",
                            "schedules": "schedules"},
    "locations": {"addresses": "addresses", "phones": "phones", "contacts": "contacts",
                  "schedules": "schedules", "languages": "languages"},
    "contacts": {"phones": "phones"},
    "attributes": {"taxonomy_term": "taxonomy_terms"},
}  # fmt: skip
PARENT_ID = {
    "organizations": "organization_id",
    "services": "service_id",
    "service_at_location": "service_at_location_id",
    "locations": "location_id",
    "contacts": "contact_id",
    "attributes": "link_id",
}
#: HSDS phone types -> our labels
PHONE_TYPES = {"cell": "mobile", "mobile": "mobile", "fax": "fax", "sms": "mobile",
               "text": "mobile", "hotline": "helpline"}  # fmt: skip
#: HSDS service statuses -> ours
STATUSES = {"active": "active", "inactive": "dormant", "temporarily closed": "dormant",
            "defunct": "closed"}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BYDAY = {d[:2]: d for d in WEEKDAYS}  # RFC 5545: MO, TU…


@dataclass
class _Package:
    """The objects of a package, as tabular HSDS names them; ``rows`` keeps each row's
    number (as the user counts it in its file) and the file it came from."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    not_kept: dict[str, int] = field(default_factory=dict)  # "file: column" -> values
    notes: list[dict[str, Any]] = field(default_factory=list)

    by_id: dict[str, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, table: str, row: dict[str, Any], number: int, where: str) -> None:
        """A row. An object met twice in nested JSON (a language under its service and under
        its location) is one row, with what each place says of it."""
        own = str(row.get("id") or "")
        if own and own in self.by_id[table]:
            known = self.by_id[table][own]
            known.update({k: v for k, v in row.items() if k not in known})
            return
        added = {**row, "_row": number, "_file": where}
        if own:
            self.by_id[table][own] = added
        self.tables[table].append(added)

    def drop(self, where: str, column: str, count: int = 1) -> None:
        key = f"{where}: {column}"
        self.not_kept[key] = self.not_kept.get(key, 0) + count

    def note(self, row: Mapping[str, Any], column: str, reason: str) -> None:
        said = {"sheet": row["_file"], "row": row["_row"], "column": column, "reason": reason}
        if said not in self.notes:
            self.notes.append(said)

    def of(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])


# --------------------------------------------------------------------------- reading


def _csv(data: bytes, name: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(decode(data, name), newline=""))
    try:
        return [
            {(k or "").strip(): (v or "").strip() for k, v in r.items() if isinstance(v, str)}
            for r in reader
        ]
    except csv.Error as exc:
        raise refuse(Say("{name}: {problem}", name=name, problem=str(exc))) from exc


def read_hsds_files(files: Mapping[str, bytes], package: str) -> list[Table]:
    """A tabular package (``datapackage.json`` and its CSV files, 1.x or 3.0)."""
    try:
        descriptor = json.loads(decode(files["datapackage.json"], "datapackage.json"))
    except (KeyError, json.JSONDecodeError, RecursionError) as exc:
        raise refuse(Say("{name}: datapackage.json is missing or not JSON", name=package)) from exc
    if not isinstance(descriptor, dict):
        raise refuse(Say("{name}: datapackage.json is not a data package", name=package))
    found = _Package()
    for name, data in sorted(files.items()):
        if name in ABOUT or not name.endswith(".csv"):
            continue
        rows = _csv(data, name)
        table = FILES.get(name)
        for number, row in enumerate(rows, start=2):
            if table is not None:
                found.add(table, row, number, name)
        used = USED[table] if table is not None else frozenset()
        for column in {c for r in rows for c in r} - used:  # a file or a column not read
            count = sum(1 for r in rows if r.get(column))
            if count:
                found.drop(name, column, count)
    if not found.of("organizations"):
        raise refuse(Say("{name}: no organizations.csv (or it is empty)", name=package))
    _require(found, "organizations", ("id", "name"))
    _require(found, "services", ("id", "name"))
    return _tables(found, package)


def is_hsds_json(document: Any) -> bool:
    """An HSDS 3.0 organisation or service (one, a list, or an API page of them)."""
    items = document.get("contents") if isinstance(document, dict) else document
    items = items if isinstance(items, list) else [document]
    first = items[0] if items else None
    return (
        isinstance(first, dict)
        and {"id", "name"} <= set(first)
        and bool({"services", "organization", "service_at_locations", "locations"} & set(first))
    )


def read_hsds_json(document: Any, name: str) -> list[Table]:
    """HSDS 3.0 JSON: each object with its nested objects, flattened into the tables of the
    tabular form (a child takes its parent's id: a service's phones their ``service_id``)."""
    items = document.get("contents") if isinstance(document, dict) else document
    items = items if isinstance(items, list) else [document]
    found = _Package()
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise refuse(Say("{what} {number} is not an object", what=name, number=number))
        top = "services" if {"organization", "service_at_locations"} & set(item) else (
            "organizations")  # fmt: skip
        _flatten(found, item, top, {}, name, number)
    if not found.of("organizations") and not found.of("services"):
        raise refuse(Say("{name}: no organization and no service", name=name))
    _require(found, "organizations", ("id", "name"))
    _require(found, "services", ("id", "name"))
    return _tables(found, name)


def _flatten(
    found: _Package, item: dict[str, Any], table: str, parent: dict[str, str], where: str,
    number: int,
) -> str:  # fmt: skip
    """Add ``item`` to ``table`` and its nested objects to theirs; returns its id."""
    row: dict[str, Any] = dict(parent)
    nested: list[tuple[str, str, Any]] = []
    for key, value in item.items():
        child = CHILDREN.get(table, {}).get(key)
        if child is not None:
            nested.append((key, child, value))
        elif isinstance(value, dict | list):
            if value:
                found.drop(f"{where} {table}", key, len(value) if isinstance(value, list) else 1)
        elif value is not None and value != "":
            row[key] = str(value) if not isinstance(value, str) else value.strip()
    own_id = str(row.get("id") or "")
    for _key, child, value in nested:
        for one in value if isinstance(value, list) else [value]:
            if not isinstance(one, dict):
                continue
            if child == "organizations" and table == "services":  # a service's organisation
                row["organization_id"] = _flatten(found, one, child, {}, where, number)
            elif child == "locations" and table == "service_at_location":
                row["location_id"] = _flatten(found, one, child, {}, where, number)
            elif child == "taxonomy_terms":
                row["taxonomy_term_id"] = _flatten(found, one, child, {}, where, number)
            else:
                _flatten(found, one, child, {PARENT_ID[table]: own_id}, where, number)
    for column in row:
        if column not in USED.get(table, frozenset()) and column not in PARENT_ID.values():
            found.drop(f"{where} {table}", column)
    found.add(table, row, number, where)
    return own_id


def _require(found: _Package, table: str, columns: tuple[str, ...]) -> None:
    """Every column the package needs is there, and every row has an id."""
    for row in found.of(table):
        missing = [c for c in columns if c not in row]
        if missing:
            raise refuse(
                Say("{name} has no column {column}", name=row["_file"], column=", ".join(missing))
            )
        if not row.get("id"):
            raise refuse(Say("{name}, row {row}: the id is empty", name=row["_file"],
                             row=row["_row"]))  # fmt: skip


# --------------------------------------------------------------------------- building


_EMAIL: TypeAdapter[str] = TypeAdapter(Email)
_WEBSITE: TypeAdapter[str] = TypeAdapter(Website)
_CONTACT: TypeAdapter[ContactPerson] = TypeAdapter(ContactPerson)
_OPENING: TypeAdapter[Opening] = TypeAdapter(Opening)


def _why(exc: ValidationError) -> str:
    return "; ".join(p["message"] for p in field_errors(exc.errors(include_url=False)))


def _tables(found: _Package, package: str) -> list[Table]:
    orgs = {r["id"]: r for r in found.of("organizations")}
    services = {r["id"]: r for r in found.of("services")}
    locations = {r["id"]: r for r in found.of("locations") if r.get("id")}
    at_location = {r["id"]: r for r in found.of("service_at_location") if r.get("id")}
    addresses: dict[str, dict[str, Any]] = {}
    for r in found.of("addresses"):
        addresses.setdefault(r.get("location_id", ""), r)
    region = _region(found)

    # a service named like its organisation is the organisation: its things go to it
    owner_of_service = {
        sid: (s.get("organization_id") or "")
        if s.get("name", "").casefold()
        == orgs.get(s.get("organization_id") or "", {}).get("name", "").casefold()
        else sid
        for sid, s in services.items()
    }

    def owner(row: Mapping[str, Any]) -> str | None:
        """The actor (organisation or service id) a phone, contact or schedule belongs to."""
        sid = row.get("service_id") or at_location.get(
            row.get("service_at_location_id") or "", {}
        ).get("service_id")
        if sid and sid in services:
            return owner_of_service[sid]
        org = row.get("organization_id")
        if org in orgs:
            return str(org)
        loc = locations.get(row.get("location_id") or "")
        if loc is not None and loc.get("organization_id") in orgs:
            return str(loc["organization_id"])
        return None

    details: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"phones": [], "contacts": [], "hours": [], "languages": [], "themes": [],
                 "kind_words": []}
    )  # fmt: skip
    contacts: dict[str, dict[str, Any]] = {}
    for r in found.of("contacts"):
        person = {"name": r.get("name"), "role": r.get("title") or None,
                  "email": r.get("email") or None}  # fmt: skip
        if r.get("id"):
            contacts[r["id"]] = {"person": person, "row": r}
    for r in found.of("phones"):
        number = _phone(found, r, region)
        if number is None:
            continue
        if r.get("contact_id") in contacts:  # the contact's; and its service's when named
            person = contacts[r["contact_id"]]["person"]
            if person.get("phone") not in (None, number):
                found.note(r, "number", Say("a contact keeps one phone: the first is kept"))
            person["phone"] = person.get("phone") or number
            if not any(r.get(k) for k in ("service_id", "service_at_location_id",
                                          "organization_id")):  # fmt: skip
                continue
        who = owner(r)
        if who is None:
            found.note(r, "number", Say("this phone names no organisation nor service here"))
            continue
        label = PHONE_TYPES.get((r.get("type") or "").casefold(), "reception")
        kept = details[who]["phones"]
        if any(p["number"] == number for p in kept):
            found.note(r, "number", Say("the same number as another phone of this actor"))
            continue
        kept.append({"label": label, "number": number})
    for c in contacts.values():
        r = c["row"]
        who = owner(r)
        person = {k: v for k, v in c["person"].items() if v}
        try:
            _CONTACT.validate_python(person)
        except ValidationError as exc:
            found.note(r, "name", Say("contact not kept: {why}", why=_why(exc)))
            continue
        if who is None:
            found.note(r, "name", Say("this contact names no organisation nor service here"))
        else:
            details[who]["contacts"].append(person)
    for r in found.of("schedules"):
        who = owner(r)
        for opening in _openings(found, r):
            if who is not None and opening not in details[who]["hours"]:
                details[who]["hours"].append(opening)
    for r in found.of("languages"):
        word = r.get("code") or r.get("language") or r.get("name")
        sid = r.get("service_id")
        if word and sid in services:
            details[owner_of_service[sid]]["languages"].append(word)
    terms = {r["id"]: r.get("name") or r.get("term") or "" for r in found.of("taxonomy_terms")
             if r.get("id")}  # fmt: skip
    links = [(r.get("service_id"), r.get("taxonomy_term_id") or r.get("taxonomy_id"))
             for r in found.of("service_terms")]  # fmt: skip
    links += [(r.get("link_id"), r.get("taxonomy_term_id")) for r in found.of("attributes")]
    links += [(sid, t.strip()) for sid, s in services.items()
              for t in (s.get("taxonomy_ids") or "").split(",") if t.strip()]  # fmt: skip
    for sid, term_id in links:
        term = terms.get(term_id or "")
        if sid in services and term:
            details[owner_of_service[sid]]["themes"].append(term)

    first_location: dict[str, str] = {}
    for lid, loc in locations.items():
        first_location.setdefault(loc.get("organization_id") or "", lid)
    service_location: dict[str, str] = {}
    for sal in at_location.values():
        sid, lid = sal.get("service_id") or "", sal.get("location_id") or ""
        if lid in locations and sid in services:
            if sid in service_location and service_location[sid] != lid:
                found.note(sal, "location_id", Say(
                    "{service} is at several locations: the first is kept",
                    service=services[sid].get("name", sid)))  # fmt: skip
                continue
            service_location[sid] = lid

    def place(lid: str | None) -> dict[str, Any]:
        loc = locations.get(lid or "")
        if loc is None:
            return {}
        found_at = addresses.get(loc["id"], {})
        street = ", ".join(
            p for p in (found_at.get("address_1"), found_at.get("postal_code"),
                        found_at.get("city")) if p
        )  # fmt: skip
        out: dict[str, Any] = {"address": street or None}
        if loc.get("latitude") and loc.get("longitude"):
            try:
                lat, lon = float(loc["latitude"]), float(loc["longitude"])
            except ValueError:
                given = f"{loc['latitude']}, {loc['longitude']}"[:40]
                found.note(loc, "latitude", Say(
                    "'{value}' is not a number: the coordinates are not kept", value=given
                ))  # fmt: skip
                return out
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                out |= {"latitude": cell_value(lat), "longitude": cell_value(lon)}
            else:
                found.note(loc, "latitude", Say(
                    "{lat}, {lon} is not on Earth: the coordinates are not kept",
                    lat=loc["latitude"], lon=loc["longitude"]))  # fmt: skip
        return out

    def contact_fields(row: Mapping[str, Any], site: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for column, name, adapter in (("email", "email", _EMAIL),
                                      (site, "website", _WEBSITE)):  # fmt: skip
            value = row.get(column)
            if not value:
                continue
            try:
                out[name] = adapter.validate_python(value)
            except ValidationError as exc:
                found.note(row, column, Say("not kept: {why}", why=_why(exc)))
        return out

    def fields(row: dict[str, Any], own: str, location: str | None, site: str) -> dict[str, Any]:
        d = details[own]
        return {
            "id": row.get("id"),
            "name": row.get("name"),
            "description": row.get("description") or None,
            **place(location),
            **contact_fields(row, site),
            "themes": d["themes"],
            "languages": d["languages"],
            "phones": d["phones"],
            "contacts": d["contacts"],
            "hours": d["hours"],
        }

    def actor_rows() -> Iterator[Row]:
        for oid, o in orgs.items():
            values = fields(
                o, oid, first_location.get(oid), "website" if o.get("website") else "url"
            )
            values["kind_words"] = [*details[oid]["themes"], o.get("name"), oid]
            yield _row(o, values)
        for sid, s in services.items():
            if owner_of_service[sid] != sid:
                continue
            org = s.get("organization_id") or ""
            values = fields(s, sid, service_location.get(sid) or first_location.get(org), "url")
            values["kind_words"] = [*details[sid]["themes"], orgs.get(org, {}).get("name"), org]
            status = STATUSES.get((s.get("status") or "").casefold())
            if status is not None:
                values["status"] = status
            yield _row(s, values)

    def link_rows() -> Iterator[Row]:
        for sid, s in services.items():
            if owner_of_service[sid] == sid and s.get("organization_id") in orgs:
                values = {"source": sid, "target": s["organization_id"], "type": "MEMBER_OF"}
                yield _row(s, values)

    actors = Table(f"{package}: organizations + services", "actors", actor_rows())
    actors.not_kept, actors.notes = found.not_kept, found.notes
    return [actors, Table(f"{package}: services", "links", link_rows())]


def _region(found: _Package) -> str:
    """The country phones are read in: the package's addresses' (an ISO code), else Belgium."""
    for r in found.of("addresses"):
        country = (r.get("country") or "").strip().upper()
        if re.fullmatch(r"[A-Z]{2}", country):
            return country
    return "BE"


def _phone(found: _Package, row: Mapping[str, Any], region: str) -> str | None:
    """The phone in E.164, read in the package's country; a number that is not one is left
    out with its reason."""
    text = str(row.get("number") or "").strip().strip('"').strip()
    if not text:
        return None
    number = e164(text, region)
    if number is None:
        found.note(row, "number", Say("'{phone}' is not a phone number: not kept", phone=text))
    return number


def _openings(found: _Package, row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A schedule row as openings: 1.x's ``weekday`` (1 = Monday, as ISO 8601, or a name),
    3.0's ``byday`` (MO,TU… as RFC 5545); hours as HH:MM (a time zone suffix dropped)."""
    days: list[str] = []
    weekday = str(row.get("weekday") or "").strip().casefold()
    if weekday.isdigit() and 1 <= int(weekday) <= 7:
        days.append(WEEKDAYS[int(weekday) - 1])
    elif weekday[:2] in BYDAY:
        days.append(BYDAY[weekday[:2]])
    for part in str(row.get("byday") or "").split(","):
        code = re.sub(r"^[+-]?\d*", "", part.strip()).casefold()[:2]
        if code in BYDAY:
            days.append(BYDAY[code])
    opens = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", str(row.get("opens_at") or "").strip())
    closes = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", str(row.get("closes_at") or "").strip())
    if not days or not opens or not closes:
        found.note(row, "opens_at", Say("a schedule without a weekday and hours: not kept"))
        return []
    out = []
    for day in days:
        try:
            one = _OPENING.validate_python({"day": day, "opens": opens, "closes": closes})
        except ValidationError as exc:
            found.note(row, "opens_at", Say("not kept: {why}", why=_why(exc)))
            return []
        out.append(one.model_dump(mode="json", exclude_defaults=True))
    return out


def _row(source: Mapping[str, Any], fields: Mapping[str, Any]) -> Row:
    values = {name: value for name, value in fields.items() if value not in (None, [], "")}
    where = f"{source['_file']}"
    return Row(int(source["_row"]), values, {name: f"{where}:{name}" for name in values})
