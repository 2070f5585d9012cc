"""An import's chunks are made ready by a thread of their own while the store writes the one
before (graph/bulk.py ``made_ahead``): the same items in the same order, what the maker
raises raised where its item would have been taken, and a taker that stops early stops it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from graph.bulk import made_ahead


def test_the_items_come_in_their_order_made_by_another_thread() -> None:
    makers: set[str] = set()

    def items() -> Iterator[int]:
        for i in range(50):
            makers.add(threading.current_thread().name)
            yield i

    with made_ahead(items(), depth=3) as ready:
        assert list(ready) == list(range(50))
    assert makers == {"made-ahead"}


def test_what_the_maker_raises_is_raised_where_its_item_is_taken() -> None:
    def items() -> Iterator[str]:
        yield "first chunk"
        yield "second chunk"
        raise ValueError("row 7: no such neighbourhood")

    taken = []
    with pytest.raises(ValueError, match="row 7"), made_ahead(items()) as ready:
        for item in ready:
            taken.append(item)
    assert taken == ["first chunk", "second chunk"]  # both written before the refusal


def test_a_taker_that_stops_early_stops_the_maker() -> None:
    made = []
    closed = threading.Event()

    def items() -> Iterator[int]:
        try:
            for i in range(10_000):
                made.append(i)
                yield i
        finally:
            closed.set()

    with pytest.raises(RuntimeError, match="chunk refused"), made_ahead(items(), depth=2) as ready:
        for item in ready:
            if item == 3:
                raise RuntimeError("chunk refused by the store")
    assert not any(t.name == "made-ahead" for t in threading.enumerate())
    assert len(made) <= 3 + 1 + 2 + 1  # the taken, the one refused, those queued, one in hand
    assert closed.wait(5)  # the generator was closed with its thread
