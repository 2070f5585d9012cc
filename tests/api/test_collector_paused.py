"""The cycle collector held off while kept results are made (``api.kept.collector_paused``):
it runs again once the last result being made, in any thread, is done — and only if it ran
before."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from api.kept import Kept, collector_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_while_made_and_nested_then_running_again() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer result is still being made
    assert gc.isenabled()


def test_running_again_after_an_error() -> None:
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_two_threads_the_last_one_done_lets_it_run() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector_paused():
            second_in.set()
            first_out.wait(5)
            seen["while the second makes"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"while the second makes": False}
    assert gc.isenabled()


def test_a_kept_result_is_made_with_the_collector_paused() -> None:
    kept = Kept()

    class Store:
        backend = "none"

        def event_marks(self) -> tuple[int, int]:
            return (0, 0)

    made = kept.get_or_make(Store(), None, ("k",), gc.isenabled)
    assert made is False
    assert gc.isenabled()
