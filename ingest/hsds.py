"""Open Referral HSDS tabular data packages (``datapackage.json`` and one CSV per object): the
way to seed a neighbourhood's directory from a published social map.

Each organisation becomes an actor (name, description, an address from its first location's
physical address, coordinates); each service becomes an actor too, with its languages and its
themes (the names of its taxonomy terms), linked to its organisation (``MEMBER_OF``). A service
named like its organisation is the organisation itself: its themes and languages go to it.
HSDS says nothing of our kinds nor of neighbourhoods: the import takes them from ``--kind`` and
``--neighbourhood`` (refused, not guessed, when missing). Ids are the package's own UUIDs, so
importing the package again (or its next version) updates rather than duplicates.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from graph.errors import Say
from ingest.readers import Row, Table, cell_value, decode, refuse


def _csv(files: Mapping[str, bytes], name: str) -> list[dict[str, str]]:
    data = files.get(name)
    if data is None:
        return []
    reader = csv.DictReader(io.StringIO(decode(data, name), newline=""))
    try:
        return [{(k or "").strip(): (v or "").strip() for k, v in r.items()} for r in reader]
    except csv.Error as exc:
        raise refuse(Say("{name}: {problem}", name=name, problem=str(exc))) from exc


def read_hsds_files(files: Mapping[str, bytes], package: str) -> list[Table]:
    try:
        descriptor = json.loads(decode(files["datapackage.json"], "datapackage.json"))
    except (KeyError, json.JSONDecodeError, RecursionError) as exc:
        raise refuse(Say("{name}: datapackage.json is missing or not JSON", name=package)) from exc
    if not isinstance(descriptor, dict):
        raise refuse(Say("{name}: datapackage.json is not a data package", name=package))
    organizations = _csv(files, "organizations.csv")
    if not organizations:
        raise refuse(Say("{name}: no organizations.csv (or it is empty)", name=package))
    services = _csv(files, "services.csv")
    _require(organizations, "organizations.csv", ("id", "name"))
    _require(services, "services.csv", ("id", "name"))
    locations = {r["id"]: r for r in _csv(files, "locations.csv") if r.get("id")}
    addresses: dict[str, dict[str, str]] = {}
    for r in _csv(files, "physical_addresses.csv"):
        addresses.setdefault(r.get("location_id", ""), r)
    languages: dict[str, list[str]] = defaultdict(list)
    for r in _csv(files, "languages.csv"):
        if r.get("service_id") and r.get("language"):
            languages[r["service_id"]].append(r["language"])
    terms = {r["id"]: r.get("name", "") for r in _csv(files, "taxonomy.csv") if r.get("id")}
    terms |= {r["id"]: r.get("term", "") for r in _csv(files, "taxonomy_terms.csv") if r.get("id")}
    themes: dict[str, list[str]] = defaultdict(list)
    for r in _csv(files, "service_taxonomy.csv") + _csv(files, "service_attributes.csv"):
        term = terms.get(r.get("taxonomy_id") or r.get("taxonomy_term_id") or "")
        if r.get("service_id") and term:
            themes[r["service_id"]].append(term)
    first_location: dict[str, dict[str, str]] = {}
    for location in locations.values():
        first_location.setdefault(location.get("organization_id", ""), location)

    def place(org_id: str) -> dict[str, Any]:
        location = first_location.get(org_id)
        if location is None:
            return {}
        found = addresses.get(location["id"], {})
        street = ", ".join(
            p for p in (found.get("address_1"), found.get("postal_code"), found.get("city")) if p
        )
        out: dict[str, Any] = {"address": street or None}
        if location.get("latitude") and location.get("longitude"):
            for axis in ("latitude", "longitude"):
                try:
                    out[axis] = cell_value(float(location[axis]))
                except ValueError as exc:
                    raise refuse(
                        Say(
                            "locations.csv, location {id}, column {column}: '{value}' is not a "
                            "number",
                            id=location["id"],
                            column=axis,
                            value=location[axis][:40],
                        )
                    ) from exc
        return out

    names = {o["id"]: o.get("name", "") for o in organizations}
    merged: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"themes": [], "languages": []})
    own = []
    for s in services:
        org = s.get("organization_id", "")
        if s.get("name", "").casefold() == names.get(org, "").casefold():
            merged[org]["themes"] += themes[s["id"]]
            merged[org]["languages"] += languages[s["id"]]
        else:
            own.append(s)

    def actor_rows() -> Iterator[Row]:
        for number, o in enumerate(organizations, start=2):
            fields = {
                "id": o.get("id"),
                "name": o.get("name"),
                "description": o.get("description") or None,
                **place(o.get("id", "")),
                "themes": merged[o.get("id", "")]["themes"],
                "languages": merged[o.get("id", "")]["languages"],
            }
            yield _row(number, fields, "organizations.csv")
        for number, s in enumerate(own, start=2):
            fields = {
                "id": s.get("id"),
                "name": s.get("name"),
                "description": s.get("description") or None,
                **place(s.get("organization_id", "")),
                "themes": themes[s["id"]],
                "languages": languages[s["id"]],
            }
            yield _row(number, fields, "services.csv")

    def link_rows() -> Iterator[Row]:
        for number, s in enumerate(own, start=2):
            if s.get("organization_id") in names:
                fields = {"source": s["id"], "target": s["organization_id"], "type": "MEMBER_OF"}
                yield _row(number, fields, "services.csv")

    return [
        Table("organizations.csv + services.csv", "actors", actor_rows()),
        Table("services.csv", "links", link_rows()),
    ]


def _require(rows: list[dict[str, str]], name: str, columns: tuple[str, ...]) -> None:
    """Every column the package needs is there, and every row has an id."""
    if not rows:
        return
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise refuse(Say("{name} has no column {column}", name=name, column=", ".join(missing)))
    for number, row in enumerate(rows, start=2):
        if not row.get("id"):
            raise refuse(Say("{name}, row {row}: the id is empty", name=name, row=number))


def _row(number: int, fields: Mapping[str, Any], sheet: str) -> Row:
    values = {name: value for name, value in fields.items() if value not in (None, [], "")}
    return Row(number, values, {name: f"{sheet}:{name}" for name in values})
