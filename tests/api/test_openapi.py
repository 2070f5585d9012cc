"""OpenAPI describes all of /api/v1, with examples on every route."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from graph.store import GraphStore


def _resolve(node: Any, schemas: dict[str, Any]) -> Any:
    """A schema with its $ref followed (one level)."""
    if isinstance(node, dict) and "$ref" in node:
        return schemas.get(node["$ref"].split("/")[-1], {})
    return node


def _has_examples_key(node: Any) -> bool:
    return isinstance(node, dict) and bool(node.get("example") or node.get("examples"))


def _has_example(op: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """An actual example: on a parameter (or its schema), on the request body (or its schema),
    or on the success answer's schema — not just the word "example" somewhere. A route that
    takes nothing and answers nothing (204, such as logging out) has nothing to show."""
    if not op.get("parameters") and "requestBody" not in op and "204" in op.get("responses", {}):
        return True
    for parameter in op.get("parameters", []):
        if _has_examples_key(parameter) or _has_examples_key(parameter.get("schema")):
            return True
    for content in op.get("requestBody", {}).get("content", {}).values():
        if _has_examples_key(content) or _has_examples_key(
            _resolve(content.get("schema"), schemas)
        ):
            return True
    for status in ("200", "201"):
        for content in op.get("responses", {}).get(status, {}).get("content", {}).values():
            schema = _resolve(content.get("schema"), schemas)
            if _has_examples_key(content) or _has_examples_key(schema):
                return True
            items = _resolve(schema.get("items"), schemas) if isinstance(schema, dict) else None
            if _has_examples_key(items):
                return True
    return False


def test_every_route_is_described_with_an_example(sqlite_store: GraphStore) -> None:
    spec = TestClient(create_app(store=sqlite_store)).get("/api/v1/openapi.json").json()
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
        assert _has_example(op, schemas), f"{method.upper()} {path} has no example"
        if path.startswith("/api/v1") and path != "/api/v1/auth/token":
            assert "401" in op["responses"], f"{method} {path} does not document 401"


def test_every_analysis_answers_its_own_type(sqlite_store: GraphStore) -> None:
    """The analysis routes are documented with their typed results, not a bare object."""
    from api.analyses import REGISTRY

    spec = TestClient(create_app(store=sqlite_store)).get("/api/v1/openapi.json").json()
    for name, analysis in REGISTRY.items():
        op = spec["paths"][f"/api/v1/analysis/{name}"]["get"]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{analysis.result.__name__}"}
        documented = {p["name"] for p in op["parameters"]}
        assert set(analysis.parameters.model_fields) <= documented, name
