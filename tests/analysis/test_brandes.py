"""Half of a sampled betweenness's batches counted in a helper process (analysis/brandes.py):
the same estimate as counting them all in one process, when the helper dies too, and a helper
that does not outlive the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from analysis import brandes
from analysis.centrality import betweenness

ROOT = Path(__file__).resolve().parents[2]


def test_the_sampled_estimate_is_the_same_counted_in_one_process_or_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Half the batches of sources go to the helper process (analysis/brandes.py): the same
    estimate to the last bit as counting them all here, when the helper is busy, and when it
    dies mid-way."""
    g = nx.powerlaw_cluster_graph(1500, 3, 0.3, seed=6)
    found = brandes.helper()
    assert (found is not None) == ((os.cpu_count() or 1) >= 2)
    sent: list[int] = []
    if found is not None:
        send = found.send

        def counted(n: int, edges: Any, batches: list[list[int]]) -> bool:
            sent.append(len(batches))  # how many batches went to the helper
            return send(n, edges, batches)

        monkeypatch.setattr(found, "send", counted)
    two = betweenness(g, exact_limit=100, samples=200, seed=3)
    assert sent == ([10] if found is not None else [])  # half of the 20 batches
    with monkeypatch.context() as alone:
        alone.setattr(brandes, "helper", lambda: None)
        one = betweenness(g, exact_limit=100, samples=200, seed=3)
    assert one["values"] == two["values"]
    assert one["standard_error"] == two["standard_error"]
    if found is None:
        return
    with found.busy:  # counting for another request: all counted here
        assert betweenness(g, exact_limit=100, samples=200, seed=3)["values"] == one["values"]
    found.process.kill()  # the helper killed (out of memory…)
    found.process.wait()
    assert betweenness(g, exact_limit=100, samples=200, seed=3)["values"] == one["values"]
    again = brandes.helper()
    assert again is not None and again is not found  # a new helper for the next one
    assert betweenness(g, exact_limit=100, samples=200, seed=3)["values"] == one["values"]
    assert again.process.poll() is None and not again.busy.locked()


def test_a_helper_that_dies_while_counting_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    g = nx.powerlaw_cluster_graph(1500, 3, 0.3, seed=6)
    expected = betweenness(g, exact_limit=100, samples=200, seed=3)["values"]
    found = brandes.helper()
    if found is None:
        return
    here = brandes.batch_rows

    def killed_meanwhile(*args: Any) -> Any:
        found.process.kill()  # while this process counts its half
        return here(*args)

    monkeypatch.setattr(brandes, "batch_rows", killed_meanwhile)
    assert betweenness(g, exact_limit=100, samples=200, seed=3)["values"] == expected
    assert brandes.helper() is not found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie (exited, not yet reaped) is gone
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="no helper on a machine with one core")
def test_the_helper_stops_when_its_server_is_killed() -> None:
    """A server process killed with -9 cannot stop its helper: the helper sees it gone."""
    script = (
        "import time\n"
        "from analysis import brandes\n"
        "brandes.start_helper()\n"
        "print(brandes.helper().process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    helper_pid = int(server.stdout.readline())
    assert _alive(helper_pid)
    server.send_signal(signal.SIGKILL)
    server.wait()
    waited = 0.0
    while _alive(helper_pid) and waited < 30:
        time.sleep(0.2)
        waited += 0.2
    assert not _alive(helper_pid)
