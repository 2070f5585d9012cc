"""Shared set-up of the OpenAPI-driven fuzz runs (schemathesis)."""

from __future__ import annotations

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.security import hash_password, issue_token
from graph.store import GraphStore
from ingest.demo import load

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


def fuzz_app(store: GraphStore) -> tuple[FastAPI, schemathesis.BaseSchema]:
    """The app over a store, and the app's OpenAPI schema."""
    app = create_app(store=store)
    return app, schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def prepare(store: GraphStore) -> str:
    """Load the demo neighbourhood and return a coordinator's token."""
    load(store)
    store.create_user({"name": "fuzzer", "role": "coordinator"}, hash_password("x" * 12), by="t")
    return issue_token(store, "fuzzer", "api")[0]


def call(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
