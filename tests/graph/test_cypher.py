"""Cypher: labels and types only from the enums; every value a parameter."""

from __future__ import annotations

import ast
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


def _strings(module: object) -> list[str]:
    """Every string literal of a module's code, docstrings left out."""
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings
    ]  # fmt: skip


def test_the_adapter_holds_no_cypher() -> None:
    for text in _strings(neo4j_store):
        assert not re.search(r"\b(MATCH|MERGE|CREATE|UNWIND|WHERE|RETURN)\b", text), text
        assert "$" not in text, text


def test_filters_keep_values_out_of_the_query_text() -> None:
    from graph.model import ActorFilter, EventFilter

    params: dict[str, object] = {}
    hostile = "x' OR 1=1 //"
    where, _ = cypher.node_where(ActorFilter(theme=hostile, q=hostile), params)
    assert hostile not in where and "OR 1=1" not in where
    assert hostile.lower() in params.values()
    events = cypher.event_where(EventFilter(user=hostile), params)
    assert hostile not in events


def test_a_constraint_failure_behind_a_failed_result_is_a_conflict() -> None:
    """Under concurrency the driver may raise ResultFailedError with the ConstraintError behind."""
    from neo4j import exceptions as neo4j_errors

    from graph.errors import Conflict
    from graph.neo4j_store import _translate

    try:
        try:
            raise neo4j_errors.ConstraintError()
        except neo4j_errors.ConstraintError as cause:
            raise neo4j_errors.ResultFailedError(None, "the result has failed") from cause
    except neo4j_errors.ResultFailedError as exc:
        assert isinstance(_translate(exc), Conflict)


def test_event_numbers_are_unique_and_follow_time_without_a_lock_in_the_database() -> None:
    """Neo4j's events are numbered in the process (no counter node every writer queues
    behind): unique across threads, increasing within each thread, and one total order."""
    from concurrent.futures import ThreadPoolExecutor

    from graph.neo4j_store import EventSequence

    sequence = EventSequence()
    with ThreadPoolExecutor(8) as pool:
        batches = list(pool.map(lambda n: sequence.take(n), [1, 3, 500] * 40))
    numbers = [n for batch in batches for n in batch]
    assert len(numbers) == len(set(numbers)) == 40 * 504
    assert all(batch == sorted(batch) for batch in batches)
    assert max(numbers) < 2**63  # a Neo4j integer
    later = sequence.take(1)[0]
    assert later > max(numbers)
