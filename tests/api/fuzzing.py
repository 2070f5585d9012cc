"""Shared set-up of the OpenAPI-driven fuzz runs (schemathesis)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.security import hash_password, issue_token
from graph.store import GraphStore
from ingest.demo import load
from tests.helpers import bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def prepare(store: GraphStore) -> dict[str, str]:
    """Load the demo neighbourhood; a token per fuzzing role (coordinator, viewer)."""
    load(store)
    tokens = {}
    for role in ("coordinator", "viewer"):
        name = f"fuzzer-{role}"
        store.create_user(
            {"name": name, "role": role},
            hash_password("fuzzing is a long passphrase", name),
            by="t",
        )
        tokens[role] = issue_token(store, name, "api")[0]
    return tokens


def call(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers=bearer(token), checks=CHECKS)
