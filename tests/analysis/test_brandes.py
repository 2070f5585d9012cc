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
    estimate to the last bit as counting them all here, and when the helper dies mid-way."""
    g = nx.powerlaw_cluster_graph(1500, 3, 0.3, seed=6)
    pool = brandes.helper()
    assert (pool is not None) == ((os.cpu_count() or 1) >= 2)
    sent: list[Any] = []
    if pool is not None:
        submit = pool.submit

        def counted(*args: Any) -> Any:
            sent.append(len(args[3]))  # how many batches went to the helper
            return submit(*args)

        monkeypatch.setattr(pool, "submit", counted)
    two = betweenness(g, exact_limit=100, samples=200, seed=3)
    assert sent == ([10] if pool is not None else [])  # half of the 20 batches
    with monkeypatch.context() as alone:
        alone.setattr(brandes, "helper", lambda: None)
        one = betweenness(g, exact_limit=100, samples=200, seed=3)
    assert one["values"] == two["values"]
    assert one["standard_error"] == two["standard_error"]
    if pool is None:
        return
    for process in list(pool._processes.values()):  # the helper killed (out of memory…)
        process.kill()
        process.join()
    after = betweenness(g, exact_limit=100, samples=200, seed=3)
    assert after["values"] == one["values"]  # counted here instead
    assert brandes.helper() is not pool  # and a new helper for the next one
    assert betweenness(g, exact_limit=100, samples=200, seed=3)["values"] == one["values"]


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
        "import os, time\n"
        "from analysis import brandes\n"
        "brandes.start_helper()\n"
        "pool = brandes.helper()\n"
        "pool.submit(os.getpid).result()\n"
        "print(*pool._processes, flush=True)\n"
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
