"""The reads a Neo4j store ran, remembered in the graph so that a server's next start plans
them again before its first page.

Neo4j plans a statement at its first run and keeps the plan in memory only: after Neo4j
restarts, a region's first coordinator page made ten or more statements it had never seen,
at 0.05–0.25 s of planning each (the indicators: 2.9 s instead of 2.4 s, bench/RESULTS.md).
The statements Maillage builds depend on the filters a page asks for, so no fixed list can
name them all. Instead each read statement is noted once with the *types* of its parameters
(never their values: a search's words or an actor's id stay out of the graph), kept on one
``(:Meta {key: 'plans'})`` node (``cypher.PLANS``) shared by every server process, and a
server's warm-up asks Neo4j to ``EXPLAIN`` each with parameters of those types: Neo4j plans
them, runs nothing.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import date, datetime
from typing import Any

log = logging.getLogger("maillage.neo4j")

MOST = 300  # statements remembered; the oldest noted are forgotten first
EVERY = 5.0  # seconds between two writes of newly seen statements by one process
AFTER_A_FAILURE = 300.0  # seconds before trying again (a Neo4j user without write rights)


#: each scalar type a parameter may have (subclasses first: bool before int, datetime before
#: date), its tag in the note, and a value of it to plan with
_SCALARS: tuple[tuple[type, str, Any], ...] = (
    (bool, "b", False),
    (int, "i", 0),
    (float, "f", 0.0),
    (str, "s", ""),
    (datetime, "t", datetime(2000, 1, 1)),
    (date, "d", date(2000, 1, 1)),
)
_DUMMIES: dict[str, Any] = {"n": None} | {tag: value for _, tag, value in _SCALARS}


def shape(value: Any) -> Any:
    """A JSON stand-in for a parameter's type, without its value.

    >>> shape({"ids": ["a1", "a2"], "day": date(2026, 1, 5), "limit": 50, "on": True})
    {'m': {'ids': ['l', 's'], 'day': 'd', 'limit': 'i', 'on': 'b'}}
    """
    if isinstance(value, list | tuple):
        return ["l", shape(value[0]) if value else "n"]
    if isinstance(value, dict):
        return {"m": {str(k): shape(v) for k, v in value.items()}}
    for kind, tag, _ in _SCALARS:
        if isinstance(value, kind):
            return tag
    return "n"  # None, or a type Maillage never sends


def dummy(kind: Any) -> Any:
    """A value of the type :func:`shape` noted (a list holds one element of its type).

    >>> dummy(shape({"ids": ["a1"], "day": date(2026, 1, 5)}))
    {'ids': [''], 'day': datetime.date(2000, 1, 1)}
    """
    if isinstance(kind, list):
        return [] if kind[1] == "n" else [dummy(kind[1])]
    if isinstance(kind, dict):
        return {k: dummy(v) for k, v in kind["m"].items()}
    return _DUMMIES.get(kind)


class Plans:
    """The read statements one process ran (text -> its parameters' shape), and which of them
    the graph does not hold yet. Thread-safe: every request thread notes into it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, Any] = {}
        self._new: dict[str, Any] = {}
        self._written = 0.0

    def note(self, query: str, params: dict[str, Any]) -> None:
        if query in self._seen:  # read without the lock: a statement is noted once
            return
        kind = shape(params)
        with self._lock:
            if query not in self._seen:
                self._seen[query] = kind
                self._new[query] = kind

    def due(self) -> bool:
        """Whether statements wait to be written and the last write is far enough behind."""
        return bool(self._new) and time.monotonic() - self._written >= EVERY

    def waiting(self) -> bool:
        return bool(self._new)

    def take(self) -> dict[str, Any]:
        """The statements to write now (given back by :meth:`give_back` if the write failed)."""
        with self._lock:
            taken, self._new = self._new, {}
            self._written = time.monotonic()
        return taken

    def give_back(self, taken: dict[str, Any]) -> None:
        """What :meth:`take` gave, after its write failed: tried again in
        :data:`AFTER_A_FAILURE` seconds, not at every read's turn."""
        with self._lock:
            self._new = {**taken, **self._new}
            self._written = time.monotonic() + AFTER_A_FAILURE - EVERY


def merged(stored: str | None, new: dict[str, Any]) -> str:
    """The graph's statements with ``new`` added, the oldest forgotten beyond :data:`MOST`.

    >>> merged(merged(None, {"A": {"m": {}}}), {"B": {"m": {}}, "A": {"m": {}}})
    '[["A", {"m": {}}], ["B", {"m": {}}]]'
    """
    known: dict[str, Any] = dict(_parsed(stored))
    known.update((q, kind) for q, kind in new.items() if q not in known)
    kept = list(known.items())[-MOST:]
    return json.dumps(kept)


def _parsed(stored: str | None) -> list[tuple[str, Any]]:
    if not stored:
        return []
    try:
        rows = json.loads(stored)
        return [(str(q), kind) for q, kind in rows]
    except (ValueError, TypeError):
        log.warning("Neo4j: the remembered statements could not be read; they start again")
        return []


def remembered(stored: str | None) -> list[tuple[str, dict[str, Any]]]:
    """Each remembered statement with parameters of the types it was run with."""
    out = []
    for query, kind in _parsed(stored):
        params = dummy(kind)
        out.append((query, params if isinstance(params, dict) else {}))
    return out
