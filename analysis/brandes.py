"""Brandes' betweenness from batches of source actors (igraph's, in C), in this process or in
one helper process beside it.

igraph holds Python's lock while it counts, so a second thread cannot share the work; a second
process can. A sampled region-wide betweenness (:func:`analysis.centrality.betweenness`) sends
half of its batches of sources to the helper and counts the other half here: on a 2-core
machine, 0.71 s of a 10,000-actor region's meeting or bridging view becomes 0.36 s
(bench/RESULTS.md). The batches are the same wherever they are counted, so the estimate is the
same to the last bit (``tests/analysis/test_brandes.py``).

The helper is ``python -m analysis.brandes``, given its work on its standard input and
answering on its standard output: a line of JSON (the sizes), then the numbers as raw bytes.
Not a ``multiprocessing`` pool: its spawned processes import the parent's main script again,
which runs a script without a ``__main__`` guard a second time. The helper stops when its input
closes: when the server stops, or is killed, even with -9. While it counts for one request,
another counts all its batches itself.

This module imports only igraph and numpy: it is all the helper loads.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import igraph as ig
import numpy as np

log = logging.getLogger("maillage.analysis")

ROOT = Path(__file__).resolve().parents[1]
_lock = threading.Lock()
_helper: Helper | None = None


def batch_rows(n: int, edges: np.ndarray, batches: list[list[int]]) -> np.ndarray:
    """One row per batch: each actor's betweenness from that batch's sources, counted twice
    per pair (as networkx counts both orders on an undirected graph) and divided by the
    batch's size.

    Parameters
    ----------
    n
        How many actors (numbered 0 to ``n`` - 1).
    edges
        The links, one row of two actor numbers each.
    batches
        The batches of source actors.

    Returns
    -------
    numpy.ndarray
        ``len(batches)`` rows of ``n`` values.

    Examples
    --------
    >>> path = np.array([[0, 1], [1, 2]])  # 0 - 1 - 2: 1 is between 0 and 2
    >>> batch_rows(3, path, [[0], [0, 2]]).tolist()
    [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]
    """
    shape = ig.Graph(n=n, edges=edges.tolist())
    rows = np.empty((len(batches), n))
    for row, batch in enumerate(batches):
        # igraph counts each unordered pair once on an undirected graph: twice that per source
        found = shape.betweenness(directed=False, sources=batch)
        rows[row] = 2.0 * np.asarray(found) / len(batch)
    return rows


class Helper:
    """The helper process, one piece of work at a time."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis.brandes"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.busy = threading.Lock()
        self.asked = (0, 0)  # the rows and columns of the answer awaited

    def send(self, n: int, edges: np.ndarray, batches: list[list[int]]) -> bool:
        """Give the helper some batches; False when it is counting for someone else, or gone
        (:meth:`receive` then must not be called)."""
        if not self.busy.acquire(blocking=False):
            return False
        self.asked = (len(batches), n)
        try:
            assert self.process.stdin is not None
            _write(self.process.stdin, n, edges, batches)
        except OSError:  # the helper died (killed, out of memory)
            self._failed()
            return False
        return True

    def receive(self) -> np.ndarray | None:
        """The rows of the batches sent (None: the helper died meanwhile)."""
        try:
            assert self.process.stdout is not None
            rows = _read_rows(self.process.stdout, *self.asked)
        except (OSError, EOFError):
            self._failed()
            return None
        self.busy.release()
        return rows

    def _failed(self) -> None:
        global _helper
        log.warning("the betweenness helper process stopped; counting in this process")
        with _lock:
            if _helper is self:
                _helper = None  # another one at the next count
        self.process.kill()
        self.process.wait()


def helper() -> Helper | None:
    """The helper process (started at the first call), or None on a machine with one core.

    Parameters
    ----------
    None

    Returns
    -------
    Helper or None
        The one helper of this process.

    Examples
    --------
    >>> found = helper()
    >>> found is None or found is helper()
    True
    """
    global _helper
    if (os.cpu_count() or 1) < 2:
        return None
    with _lock:
        if _helper is None:
            _helper = Helper()
        return _helper


def start_helper() -> None:
    """Start the helper with the server: started at the first region-wide betweenness, it
    would make that one wait the 0.3–0.5 s a new Python process takes to load igraph.

    Parameters
    ----------
    None

    Returns
    -------
    None

    Examples
    --------
    >>> start_helper()
    >>> helper() is None or helper().process.poll() is None  # running
    True
    """
    helper()


def all_rows(n: int, edges: np.ndarray, batches: list[list[int]]) -> np.ndarray:
    """:func:`batch_rows` of every batch, the first half counted in the helper process while
    this one counts the second (all here when there is no helper, it is busy, or it died).

    Parameters
    ----------
    n, edges, batches
        As :func:`batch_rows`.

    Returns
    -------
    numpy.ndarray
        The same rows as :func:`batch_rows`, in the same order.

    Examples
    --------
    >>> star = np.array([[0, 1], [0, 2], [0, 3]])
    >>> batches = [[1], [2], [3], [0]]
    >>> bool((all_rows(4, star, batches) == batch_rows(4, star, batches)).all())
    True
    """
    half = len(batches) // 2
    found = helper() if half else None
    sent = found is not None and found.send(n, edges, batches[:half])
    try:
        here = batch_rows(n, edges, batches[half:])
    finally:  # the helper's answer read whatever happens here: it is free for the next one
        away = found.receive() if sent and found is not None else None
    if away is None:
        away = batch_rows(n, edges, batches[:half])
    return np.vstack([away, here])


def _write(stream: IO[bytes], n: int, edges: np.ndarray, batches: list[list[int]]) -> None:
    sizes = [len(b) for b in batches]
    head = {"n": n, "edges": len(edges), "sizes": sizes}
    stream.write(json.dumps(head).encode() + b"\n")
    stream.write(np.ascontiguousarray(edges, dtype="<i8").tobytes())
    stream.write(np.array([s for b in batches for s in b], dtype="<i8").tobytes())
    stream.flush()


def _exactly(stream: IO[bytes], size: int) -> bytes:
    found = stream.read(size)
    if len(found) != size:
        raise EOFError("the other process stopped")
    return found


def _read_rows(stream: IO[bytes], rows: int, n: int) -> np.ndarray:
    return np.frombuffer(_exactly(stream, rows * n * 8), dtype="<f8").reshape(rows, n)


def serve(given: IO[bytes], answer: IO[bytes]) -> None:
    """The helper's loop: count each piece of work it is given, until its input closes.

    Parameters
    ----------
    given
        Where the work comes from (a line of JSON, then the numbers as raw bytes).
    answer
        Where the rows go (raw bytes).

    Returns
    -------
    None

    Examples
    --------
    >>> import io
    >>> asked, answered = io.BytesIO(), io.BytesIO()
    >>> _write(asked, 3, np.array([[0, 1], [1, 2]]), [[0]])
    >>> serve(io.BytesIO(asked.getvalue()), answered)
    >>> _read_rows(io.BytesIO(answered.getvalue()), 1, 3).tolist()
    [[0.0, 1.0, 0.0]]
    """
    while line := given.readline():
        head = json.loads(line)
        pairs = np.frombuffer(_exactly(given, head["edges"] * 16), dtype="<i8").reshape(-1, 2)
        sources = np.frombuffer(_exactly(given, sum(head["sizes"]) * 8), dtype="<i8").tolist()
        starts = np.cumsum([0, *head["sizes"]]).tolist()
        batches = [sources[a:b] for a, b in itertools.pairwise(starts)]
        answer.write(np.ascontiguousarray(batch_rows(head["n"], pairs, batches), "<f8").tobytes())
        answer.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
