"""Shared set-up of the OpenAPI-driven fuzz runs (schemathesis): the checks that can fail —
a valid request refused (``positive_data_acceptance``), an invalid one accepted
(``negative_data_rejection``), a route that answers without credentials (``ignored_auth``) —
and ours: no key resident is ever named to a user who may not see them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, note, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.security import hash_password, issue_token
from graph.model import ActorFilter, ActorKind
from graph.store import GraphStore
from ingest.demo import load
from tests.helpers import SEED, bearer


def valid_data_accepted(ctx: Any, response: Any, case: Any) -> bool | None:
    """``positive_data_acceptance``, except for a 422 that says the request matched its
    schema but broke a rule no schema states (``rule: true``: an end before its start, a
    neighbourhood not recorded yet): a value the schema calls valid refused fails it."""
    if response.status_code == 422:
        try:
            if response.json().get("rule") is True:
                return None
        except ValueError:
            pass
    return positive_data_acceptance(ctx, response, case)  # type: ignore[no-any-return]


def invalid_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """``negative_data_rejection``, where a 413 counts as refused too: a body over the route's
    cap (a schema-breaking list of 6 MB of sector shapes) is refused before it is read, and
    schemathesis's list of refusals leaves 413 out."""
    if response.status_code == 413:
        return None
    return negative_data_rejection(ctx, response, case)  # type: ignore[no-any-return]


CHECKS: list[Callable[..., Any]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    valid_data_accepted,
    invalid_data_refused,
    ignored_auth,
]

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
RANDOM_SETTINGS = settings(FUZZ_SETTINGS, derandomize=False, max_examples=25)


@dataclass
class Fuzzers:
    """The demo's users the fuzzer logs in as, and what some of them must never read."""

    tokens: dict[str, str] = field(default_factory=dict)
    #: the key residents' names and ids: never in an answer to a viewer nor to a user
    #: without a team
    secrets: list[str] = field(default_factory=list)


def prepare(store: GraphStore) -> Fuzzers:
    """Load the demo neighbourhood; a token per fuzzing user: a coordinator (who may call
    every route), a viewer of the demo's team, and a BAR user no coordinator has attached to
    a team yet."""
    load(store)
    (team,) = [a for a in store.list_actors(ActorFilter(kind=ActorKind.bar_team), limit=50).items
               if a.name.startswith("BAR ")]  # fmt: skip
    found = Fuzzers()
    for who, role, actor in (("coordinator", "coordinator", None), ("viewer", "viewer", team.id),
                             ("noteam", "bar", None)):  # fmt: skip
        name = f"fuzzer-{who}"
        store.create_user(
            {"name": name, "role": role, "actor_id": actor},
            hash_password("fuzzing is a long passphrase", name),
            by="t",
        )
        found.tokens[who] = issue_token(store, name, "api")[0]
    residents = store.list_actors(ActorFilter(kind=ActorKind.key_resident), limit=500).items
    assert residents, "the demo holds key residents: the leak check needs them"
    found.secrets = [text for a in residents for text in (a.name, a.id)]
    return found


def never_naming(secrets: list[str]) -> Callable[..., None]:
    """A check: the answer names none of ``secrets`` (key residents' names and ids)."""

    wanted = [s.encode() for s in secrets]

    def no_key_resident(ctx: Any, response: Any, case: Any) -> None:
        leaked = [s.decode() for s in wanted if any(s in part for part in _parts(response.content))]
        if leaked:
            raise AssertionError(
                f"{case.method} {case.formatted_path} names a key resident: {leaked[0]!r}"
            )

    return no_key_resident


def _parts(content: bytes) -> list[bytes]:
    """What an answer holds: its bytes, and each member of a zip (an XLSX, a CSV zip)."""
    if not content.startswith(b"PK"):
        return [content]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [archive.read(name) for name in archive.namelist()]


def call(case: schemathesis.Case, token: str, *extra: Callable[..., Any]) -> None:
    note(f"replay with MAILLAGE_FUZZ_SEED={SEED} (the seed of the runs not derandomized)")
    case.call_and_validate(headers=bearer(token), checks=[*CHECKS, *extra])
