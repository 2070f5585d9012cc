"""Brandes' betweenness from batches of source actors (igraph's, in C), in this process or in
one helper process beside it.

igraph holds Python's lock while it counts, so a second thread cannot share the work; a second
process can. A sampled region-wide betweenness (:func:`analysis.centrality.betweenness`) sends
half of its batches of sources to :func:`helper` and counts the other half here: on a 2-core
machine, 0.5–0.9 s of a 10,000-actor region's meeting or bridging view becomes half that
(bench/RESULTS.md). The batches are the same wherever they are counted, so the estimate is the
same to the last bit (``tests/analysis/test_measures.py``).

This module imports only igraph and numpy: it is all the helper process loads.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import igraph as ig
import numpy as np

log = logging.getLogger("maillage.analysis")

_lock = threading.Lock()
_helper: ProcessPoolExecutor | None = None


def batch_rows(n: int, edges: np.ndarray, batches: list[list[int]]) -> np.ndarray:
    """One row per batch: each actor's betweenness from that batch's sources, counted twice
    per pair (as networkx counts both orders on an undirected graph) and divided by the
    batch's size. ``edges``: the pairs of actor numbers (0 to ``n`` - 1), one row each."""
    shape = ig.Graph(n=n, edges=edges.tolist())
    rows = np.empty((len(batches), n))
    for row, batch in enumerate(batches):
        # igraph counts each unordered pair once on an undirected graph: twice that per source
        found = shape.betweenness(directed=False, sources=batch)
        rows[row] = 2.0 * np.asarray(found) / len(batch)
    return rows


def helper() -> ProcessPoolExecutor | None:
    """The helper process (started at the first call), or None on a machine with one core."""
    global _helper
    if (os.cpu_count() or 1) < 2:
        return None
    with _lock:
        if _helper is None:
            # spawned, not forked: a server process has threads (the store's driver, uvicorn)
            context = multiprocessing.get_context("spawn")
            _helper = ProcessPoolExecutor(
                1, mp_context=context, initializer=_follow, initargs=(os.getpid(),)
            )
        return _helper


def _follow(parent: int) -> None:
    """In the helper: stop once the process that started it is gone, even killed with -9
    (its pool would have stopped it on a clean exit)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="maillage-parent-watch", daemon=True).start()


def start_helper() -> None:
    """Start the helper with the server: started at the first region-wide betweenness, it
    would make that one wait the 0.3–0.5 s a new Python process takes to load igraph."""
    found = helper()
    if found is not None:
        found.submit(batch_rows, 2, np.array([[0, 1]]), [[0]])


def all_rows(n: int, edges: np.ndarray, batches: list[list[int]]) -> np.ndarray:
    """:func:`batch_rows` of every batch, the first half counted in the helper process while
    this one counts the second (all here when there is no helper, or it failed)."""
    pool = helper()
    half = len(batches) // 2
    if pool is None or half == 0:
        return batch_rows(n, edges, batches)
    try:
        away: Future[np.ndarray] | None = pool.submit(batch_rows, n, edges, batches[:half])
    except (BrokenProcessPool, RuntimeError):  # stopped: counted here, and started again
        _forget(pool)
        away = None
    here = batch_rows(n, edges, batches[half:])
    if away is not None:
        try:
            return np.vstack([away.result(), here])
        except BrokenProcessPool:  # the helper died (killed, out of memory): counted here
            log.warning("the betweenness helper process stopped; counting in this process")
            _forget(pool)
    return np.vstack([batch_rows(n, edges, batches[:half]), here])


def _forget(pool: ProcessPoolExecutor) -> None:
    global _helper
    with _lock:
        if _helper is pool:
            _helper = None
    pool.shutdown(wait=False, cancel_futures=True)
