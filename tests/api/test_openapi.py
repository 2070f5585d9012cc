"""OpenAPI describes all of /api/v1, with examples on every route."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore


def _refs(node: Any) -> list[str]:
    return [r.split("/")[-1] for r in _find_refs(json.dumps(node))]


def _find_refs(text: str) -> list[str]:
    out = []
    marker = '"$ref": "'
    start = text.find(marker)
    while start != -1:
        end = text.find('"', start + len(marker))
        out.append(text[start + len(marker) : end])
        start = text.find(marker, end)
    return out


def _has_example(node: Any, schemas: dict[str, Any], seen: set[str]) -> bool:
    if "example" in json.dumps(node):
        return True
    for ref in _refs(node):
        if ref not in seen:
            seen.add(ref)
            if _has_example(schemas.get(ref, {}), schemas, seen):
                return True
    return False


def test_every_route_is_described_with_an_example(store: GraphStore) -> None:
    spec = TestClient(create_app(store=store)).get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    operations = [(m, p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]
    assert len(operations) >= 30
    paths = set(spec["paths"])
    for wanted in (
        "/api/v1/actors/{actor_id}/network",
        "/api/v1/paths",
        "/api/v1/reach",
        "/api/v1/events",
        "/api/v1/auth/token",
        "/api/v1/links/{record_id}/end",
    ):
        assert wanted in paths
    for method, path, op in operations:
        assert op.get("summary"), f"{method} {path} has no summary"
        own = {k: v for k, v in op.items() if k != "responses"}
        ok = _has_example(own, schemas, set()) or _has_example(
            op["responses"].get("200") or op["responses"].get("201") or {}, schemas, set()
        )
        assert ok, f"{method.upper()} {path} has no example"
        if path.startswith("/api/v1") and path != "/api/v1/auth/token":
            assert "401" in op["responses"], f"{method} {path} does not document 401"
