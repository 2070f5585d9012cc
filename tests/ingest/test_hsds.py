"""Open Referral HSDS social maps kept whole: the 1.1 sample package and the 3.0 examples
(tabular and JSON) as Open Referral publishes them (``tests/ingest/data/README-hsds.md``), and
a Brussels-shaped package. Phones, e-mails, websites, contacts and opening hours land in the
living directory's fields; each service sits at its own location; both taxonomy file names are
read; languages are codes; kinds come through the mapping; what is not kept is said."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from graph.errors import InvalidInput
from graph.model import Actor
from graph.store import GraphStore
from ingest.plan import Options, run_import
from ingest.readers import read

DATA = Path(__file__).parent / "data"
NEVER_HOMELESS = "c89eb05c-62dd-4b64-b494-0cc347b6ea7f"
CROSS_TRUST = "18997068-649c-11e6-8b77-86f30ca893d3"
ROZ = "18996ac8-649c-11e6-8b77-86f30ca893d3"
BUBBLES = "21a1192b-abb9-45e8-bc52-c81ca4087240"
COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"


def _import_folder(store: GraphStore, folder: Path, **options: Any) -> dict[str, Any]:
    source = read(b"", folder.name, folder=folder)
    return run_import(store, source, by="coordinator", options=Options(**options))


def _import(store: GraphStore, data: bytes, name: str, **options: Any) -> dict[str, Any]:
    return run_import(store, read(data, name), by="coordinator", options=Options(**options))


def _actor(store: GraphStore, actor_id: str) -> Actor:
    return store.get_actor(actor_id)


def test_the_hsds_1_1_sample_package_comes_in_whole(store: GraphStore) -> None:
    report = _import_folder(store, DATA / "hsds-1.1", neighbourhood="Cureghem", kind="association")
    counts = report["counts"]["created"]
    assert (counts["actors"], counts["links"]) == (23, 13)  # 10 organisations, 13 services
    helpline = _actor(store, NEVER_HOMELESS)
    # the schedules (weekday 1 = Monday, ISO 8601), the contact, the languages as codes
    assert [(h.day.value, h.opens, h.closes) for h in helpline.hours] == [
        ("monday", "09:00", "17:00"), ("tuesday", "09:00", "17:00"),
        ("wednesday", "09:00", "17:00"),
    ]  # fmt: skip
    assert [(c.name, c.role, c.email) for c in helpline.contacts] == [
        ("Contact 1", "Mr", "contact1@example.com")
    ]
    assert helpline.languages == ["en", "es"] and helpline.email == "neverhomeless@example.com"
    # at its own location (services_at_location), whose address is the sample's only one
    assert helpline.address == "Address 1, 10001, New York City"
    emails = [a.email for a in store.list_actors(limit=100).items if a.email]
    assert len(emails) >= 7 and all(w.website for w in store.list_actors(limit=100).items
                                     if w.id in (ROZ, CROSS_TRUST))  # fmt: skip
    # the sample's five phones are fictional: each is named as not kept, with its reason
    phones = [n for n in report["notes"] if n["sheet"] == "phones.csv"]
    assert len(phones) == 5 and all("is not a phone number" in n["reason"] for n in phones)
    # every file and column not read is counted, nothing is dropped without a word
    not_kept = {(c["sheet"], c["column"]): c["values"] for c in report["not_kept"]}
    assert ("hsds-1.1: organizations + services", "holiday_schedules.csv: start_date") in not_kept
    assert not_kept[("hsds-1.1: organizations + services", "phones.csv: extension")] == 1
    assert not_kept[("hsds-1.1: organizations + services", "organizations.csv: tax_id")] == 10
    # the package's own ids: importing it again changes nothing
    again = _import_folder(store, DATA / "hsds-1.1", neighbourhood="Cureghem", kind="association")
    assert not any(again["counts"]["created"].values()) and not any(
        again["counts"]["updated"].values()
    )
    assert "already recorded" in again["nothing_written"]


def _belgian_copy(tmp_path: Path) -> Path:
    """The sample with Belgian phones (the same rows and owners, real-shaped numbers)."""
    folder = tmp_path / "hsds-be"
    shutil.copytree(DATA / "hsds-1.1", folder)
    path = folder / "phones.csv"
    rows = list(csv.DictReader(path.open(newline="", encoding="utf-8")))
    numbers = iter(["02 520 12 34", "02 555 40 00", "0800 12 345", "02 411 22 33",
                    "0470 12 34 56"])  # fmt: skip
    for row in rows:
        row["number"] = next(numbers)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    addresses = folder / "physical_addresses.csv"
    addresses.write_text(addresses.read_text().replace(",US\n", ",BE\n"))
    return folder


def test_phones_go_to_what_they_name(store: GraphStore, tmp_path: Path) -> None:
    report = _import_folder(store, _belgian_copy(tmp_path), neighbourhood="Cureghem",
                            kind="association")  # fmt: skip
    assert not [n for n in report["notes"] if n["sheet"] == "phones.csv"]
    # a location's phone to its organisation; an organisation's own; a service's; a service
    # at a location's to that service (its type "cell" read as a mobile)
    assert [(p.label.value, p.number) for p in _actor(store, ROZ).phones] == [
        ("reception", "+3225201234")
    ]
    assert [p.number for p in _actor(store, CROSS_TRUST).phones] == ["+3225554000", "+3280012345"]
    assert [(p.label.value, p.number) for p in _actor(store, BUBBLES).phones] == [
        ("reception", "+3224112233"), ("mobile", "+32470123456")
    ]  # fmt: skip


def _package(**files: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("carte/datapackage.json", json.dumps({"name": "carte-sociale"}))
        for name, text in files.items():
            archive.writestr(f"carte/{name.replace('__', '.')}", text)
    return buffer.getvalue()


CPAS, EMPLOI = "org-cpas-anderlecht", "org-maison-emploi"
LOGEMENT, ACCUEIL = "svc-logement", "svc-accueil"
BRUSSELS = dict(
    organizations__csv="id,name,description,email,url\n"
    f"{CPAS},CPAS d'Anderlecht,Aide sociale,info@cpas-anderlecht.be,www.cpas-anderlecht.be\n"
    f"{EMPLOI},Maison de l'emploi,Emploi et formation,,\n"
    "org-epicerie,Épicerie sociale Lemmens,Colis et épicerie à prix réduits,,\n",
    services__csv="id,organization_id,name,description,status\n"
    f"{LOGEMENT},{CPAS},Service logement,Aide au logement,active\n"
    f"{ACCUEIL},{EMPLOI},Maison de l'emploi,Accueil,active\n",
    locations__csv="id,organization_id,name,latitude,longitude\n"
    f"loc-siege,{CPAS},Siège,50.8366,4.3105\n"
    f'loc-antenne,{CPAS},Antenne Clemenceau,"50,8402",4.3290\n',
    physical_addresses__csv="id,location_id,address_1,city,postal_code,country\n"
    "a1,loc-siege,Rue Rossini 18,Anderlecht,1070,BE\n"
    "a2,loc-antenne,Rue Clemenceau 45,Anderlecht,1070,BE\n",
    services_at_location__csv=f"id,service_id,location_id\nsal1,{LOGEMENT},loc-antenne\n",
    languages__csv=f"id,service_id,language\nl1,{LOGEMENT},français\nl2,{LOGEMENT},Nederlands\n"
    f"l3,{ACCUEIL},Arabic\n",
    taxonomy__csv="id,name\nt1,housing\nt2,employment\n",
    # the name the 1.1 sample package uses (1.0 said service_taxonomy.csv)
    services_taxonomy__csv=f"id,service_id,taxonomy_id\ns1,{LOGEMENT},t1\ns2,{ACCUEIL},t2\n",
    regular_schedules__csv=f"id,service_id,weekday,opens_at,closes_at\n"
    f"r1,{LOGEMENT},2,09:00,12:30\nr2,{LOGEMENT},4,13:30:00,16:00:00Z\nr3,{LOGEMENT},5,,\n",
)


def test_each_service_at_its_own_location_with_its_themes_and_kind(store: GraphStore) -> None:
    data = _package(**BRUSSELS)
    with pytest.raises(InvalidInput, match="needs a kind"):
        _import(store, data, "carte.zip", neighbourhood="Cureghem")
    # kinds through the mapping: by organisation, by taxonomy term; --kind for the rest
    mapping = {"kinds": {"CPAS d'Anderlecht": "public_service", "employment": "public_service"}}
    report = _import(store, data, "carte.zip", neighbourhood="Cureghem", kind="association",
                     mapping=mapping)  # fmt: skip
    assert (report["counts"]["created"]["actors"], report["counts"]["created"]["links"]) == (4, 1)
    cpas, housing = _actor(store, CPAS), _actor(store, LOGEMENT)
    assert cpas.kind.value == "public_service"
    assert cpas.address == "Rue Rossini 18, 1070, Anderlecht"
    assert cpas.website == "https://www.cpas-anderlecht.be"
    # the service is at its antenna (services_at_location), not at its organisation's seat
    assert housing.address == "Rue Clemenceau 45, 1070, Anderlecht" and housing.latitude is None
    assert housing.themes == ["housing"] and housing.languages == ["fr", "nl"]
    assert housing.kind.value == "public_service"  # through its organisation
    assert _actor(store, "org-epicerie").kind.value == "association"  # nothing mapped: --kind
    assert [(h.day.value, h.opens, h.closes) for h in housing.hours] == [
        ("tuesday", "09:00", "12:30"), ("thursday", "13:30", "16:00")
    ]  # fmt: skip
    # a service named like its organisation is it: its theme, language and kind go to it
    emploi = _actor(store, EMPLOI)
    assert emploi.themes == ["employment"] and emploi.languages == ["ar"]
    assert emploi.kind.value == "public_service"  # through its taxonomy term
    reasons = [n["reason"] for n in report["notes"]]
    assert any("not a number" in r for r in reasons)  # "50,8402" in a CSV of dots
    assert any("without a weekday and hours" in r for r in reasons)


def test_the_hsds_3_0_examples_tabular_and_json(store: GraphStore) -> None:
    tabular = _import_folder(store, DATA / "hsds-3.0", neighbourhood="Cureghem",
                             kind="health_actor")  # fmt: skip
    assert tabular["format"] == "hsds"
    counselling = _actor(store, COUNSELLING)
    assert [(h.day.value, h.opens, h.closes) for h in counselling.hours] == [
        ("thursday", "10:00", "18:00"), ("friday", "10:00", "18:00")
    ]  # fmt: skip
    assert counselling.languages == ["ur"] and counselling.email == "email@example.com"
    assert [(c.name, c.role, c.phone) for c in counselling.contacts] == [
        ("Ann Persona", "Reception Manager", "+441234234567")
    ]
    assert [p.number for p in counselling.phones] == ["+441234234567"]  # the service's too
    assert any("not on Earth" in n["reason"] for n in tabular["notes"])  # latitude 100
    # the JSON form of the same service reads the same
    data = (DATA / "hsds-3.0" / "service_full.json").read_bytes()
    report = _import(store, data, "service_full.json", neighbourhood="Cureghem",
                     kind="health_actor")  # fmt: skip
    assert report["format"] == "hsds" and report["counts"]["unchanged"]["links"] == 1
    assert _actor(store, COUNSELLING) == counselling
    not_kept = {c["column"] for c in report["not_kept"]}
    assert {"service_full.json services: funding", "service_full.json schedules: freq"} <= not_kept


def test_an_organisation_in_hsds_3_0_json_brings_its_services(store: GraphStore) -> None:
    data = (DATA / "hsds-3.0" / "organization_full.json").read_bytes()
    report = _import(store, data, "organization_full.json", neighbourhood="Cureghem",
                     kind="association")  # fmt: skip
    assert (report["counts"]["created"]["actors"], report["counts"]["created"]["links"]) == (2, 1)
    link = store.list_links().items[0]
    assert (link.source, link.type) == (COUNSELLING, "MEMBER_OF")
