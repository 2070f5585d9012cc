"""Several server processes on one port, each with a listening socket of its own
(``SO_REUSEPORT``), so that the kernel spreads new connections over them.

uvicorn's own workers share one listening socket, and the process that wakes first takes
every connection waiting (asyncio accepts up to a hundred at once): 50 keep-alive clients
ended 8 on one process and 42 on the other, whose clients waited five times longer (p99 of
writes on Neo4j 417-501 ms with half the processes' time spent on a few clients:
bench/RESULTS.md). With a socket each, the kernel hands each new connection to one of them by
a hash of its addresses. A process that dies is started again; one that dies within seconds of
its start stops the whole server (its settings are wrong: starting it again would not help).
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

import uvicorn

log = logging.getLogger("maillage.serve")

#: a process that dies sooner than this after its start stops the server
BROKEN_START = 5.0


def balanced() -> bool:
    """Whether this system lets several sockets listen on one port."""
    return hasattr(socket, "SO_REUSEPORT")


def _bound(host: str, port: int, shared: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _one_process(options: dict[str, Any]) -> None:
    """One server process: its own socket on the shared port, then uvicorn on it."""
    sock = _bound(options["host"], options["port"])
    sock.listen(2048)
    uvicorn.Server(uvicorn.Config(**options)).run(sockets=[sock])


def serve(options: dict[str, Any], workers: int) -> int:
    """Run ``workers`` server processes with uvicorn's ``options`` until SIGINT or SIGTERM
    (each process then finishes its requests, as uvicorn does); the exit status."""
    # the port is free: said at once, not by each process. The probe does not share the port,
    # so that a second server started by mistake on it is refused, as uvicorn's would be,
    # instead of taking half the connections
    try:
        _bound(options["host"], options["port"], shared=False).close()
    except OSError as exc:
        log.error("cannot listen on %s:%s: %s", options["host"], options["port"], exc.strerror)
        return 1
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each, as uvicorn's
    stopping = False

    def start() -> tuple[BaseProcess, float]:
        process = context.Process(target=_one_process, args=(options,), name="maillage-server")
        process.start()
        return process, time.monotonic()

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    running = [start() for _ in range(workers)]
    status = 0
    try:
        while not stopping:
            for index, (process, started) in enumerate(running):
                if process.is_alive() or stopping:
                    continue
                if time.monotonic() - started < BROKEN_START:
                    log.error("a server process stopped as it started (exit %s): stopping",
                              process.exitcode)  # fmt: skip
                    stopping, status = True, 1
                    break
                log.warning("a server process stopped (exit %s): starting another",
                            process.exitcode)  # fmt: skip
                running[index] = start()
            time.sleep(0.2)
    finally:
        for process, _ in running:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests under way
        for process, _ in running:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
