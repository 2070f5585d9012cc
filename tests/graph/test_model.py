"""The domain model's rules, without a store."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from pydantic import ValidationError

from graph.model import (
    DIRECTED_LINK_TYPES,
    ActorCreate,
    ActorKind,
    LinkCreate,
    LinkType,
    ReferralCreate,
    is_valid_on,
    natural_key,
    new_id,
    normalise_name,
    today,
)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("  Maison  Médicale ", "maison medicale"),
        ("CAFÉ-ÇA VA!", "cafe ca va"),
        ("Vereniging Brüssel", "vereniging brussel"),
        ("ﬁlms (ligature)", "films ligature"),
        ("Русская Община", "русская община"),
        ("مسجد  النور", "مسجد النور"),
        ("🔧🌍", "🔧🌍"),
    ],
)
def test_normalise_name(raw: str, normal: str) -> None:
    assert normalise_name(raw) == normal


def test_natural_key_joins_name_and_neighbourhood() -> None:
    assert natural_key("Asbl Le Pont", "Cureghem") == natural_key("ASBL le pont ", "cureghem")
    assert natural_key("Asbl Le Pont", "Cureghem") != natural_key("Asbl Le Pont", "Molenbeek")


def test_every_kind_of_design_is_there() -> None:
    assert {k.value for k in ActorKind} == {
        "resident_group", "association", "trader", "public_service", "health_actor",
        "place_of_worship", "school", "external_partner", "bar_team", "key_resident", "other",
    }  # fmt: skip
    assert {t.value for t in DIRECTED_LINK_TYPES} == {"REFERS_TO", "HOSTS", "MEMBER_OF", "INFORMS"}
    assert not LinkType.KNOWS.directed and LinkType.HOSTS.directed


def test_names_are_trimmed_and_bounded() -> None:
    a = ActorCreate(name="  Asbl  ", kind=ActorKind.association, neighbourhood=" Cureghem ")
    assert a.name == "Asbl" and a.neighbourhood == "Cureghem"
    with pytest.raises(ValidationError, match="at most 200"):
        ActorCreate(name="x" * 201, kind=ActorKind.association, neighbourhood="C")
    assert len(ActorCreate(name="x" * 200, kind="other", neighbourhood="C").name) == 200


def test_dates() -> None:
    tomorrow = today() + timedelta(days=1)
    with pytest.raises(ValidationError, match="in the future"):
        ActorCreate(name="a", kind="other", neighbourhood="C", since=tomorrow)
    with pytest.raises(ValidationError, match="before 'since'"):
        LinkCreate(
            source="a", target="b", type="KNOWS", since=date(2025, 2, 1), until=date(2025, 1, 1)
        )
    link = LinkCreate(
        source="a", target="b", type="KNOWS", since=date(2025, 1, 1), until=date(2025, 1, 1)
    )
    assert link.until == link.since


def test_validity_interval_until_is_exclusive() -> None:
    since, until = date(2025, 1, 1), date(2025, 6, 1)
    assert not is_valid_on(since, until, date(2024, 12, 31))
    assert is_valid_on(since, until, date(2025, 1, 1))
    assert is_valid_on(since, until, date(2025, 5, 31))
    assert not is_valid_on(since, until, date(2025, 6, 1))
    assert is_valid_on(since, None, date(2030, 1, 1))


def test_referrals_refuse_free_text() -> None:
    base = {"date": "2025-01-01", "from_actor": "a", "to_actor": "b", "theme": "housing"}
    assert ReferralCreate.model_validate(base).count == 1
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        ReferralCreate.model_validate({**base, "comment": "Mme Dupont"})
    with pytest.raises(ValidationError):
        ReferralCreate.model_validate({**base, "theme": "housing, see Mr X"})


def test_a_forked_process_draws_random_bits_of_its_own() -> None:
    """A server's workers are forked: a child taking the parent's pool of random bytes would
    make the parent's next ids (the same random bits, the same millisecond: the same id)."""
    new_id()  # the pool holds bytes the child must not reuse
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.write(write, new_id()[-18:].encode())
        os._exit(0)
    os.waitpid(child, 0)
    os.close(write)
    theirs = os.read(read, 64).decode()
    os.close(read)
    assert len(theirs) == 18
    assert theirs != new_id()[-18:]
