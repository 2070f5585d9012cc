"""Cypher: labels and types only from the enums; every value a parameter."""

from __future__ import annotations

import inspect
import re

import pytest

from graph import cypher, neo4j_store
from graph.model import EntityKind, LinkType


def test_link_types_come_from_the_enum_only() -> None:
    assert cypher.rel_type("KNOWS") == "KNOWS"
    with pytest.raises(ValueError):
        cypher.rel_type("KNOWS]->() DETACH DELETE n //")
    for t in LinkType:
        assert t.value in cypher.insert_links(t.value)


def test_labels_come_from_the_enum_only() -> None:
    assert cypher.label(EntityKind.actor) == "Actor"
    with pytest.raises(KeyError):
        cypher.label(EntityKind.link)


def test_schema_is_idempotent_statements() -> None:
    statements = cypher.schema_statements()
    assert statements and all("IF NOT EXISTS" in s for s in statements)
    assert any("natural_key IS UNIQUE" in s for s in statements)


def test_the_adapter_holds_no_cypher() -> None:
    source = inspect.getsource(neo4j_store)
    assert not re.search(r"\b(MATCH|MERGE|CREATE|UNWIND)\s*\(", source)
