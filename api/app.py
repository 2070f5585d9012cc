"""The FastAPI application, built by :func:`create_app`."""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field

from analysis.brandes import start_helper
from api.deps import SESSION_COOKIE
from api.errors import install_error_handlers
from api.hardening import Hardening, install_docs
from api.kept import KEPT
from api.routes import (
    activities,
    actors,
    analysis,
    auth,
    crises,
    data,
    diagnosis,
    events,
    links,
    neighbourhoods,
    network,
    observations,
    privacy,
    referrals,
    users,
)
from api.security import token_hash
from api.settings import Settings, open_store
from api.web import install_pages
from graph.errors import MaillageError
from graph.store import GraphStore


class Health(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "ok", "store": "sqlite"},
                {"status": "ok", "store": "sqlite", "counts": {"actors": 173, "links": 354}},
            ]
        }
    )
    status: str
    store: str
    counts: dict[str, int] | None = Field(
        default=None, description="What the store holds: for logged-in users only"
    )


DESCRIPTION = """
Maillage is the living directory of a neighbourhood's actors, kept by the Buurtactierelais
(BAR, *relais d'action de quartier*) of Brussels: who the actors are, how they are linked,
and how that network grows. The HTTP API lives under `/api/v1`.
"""


DEMO_WARNING = (
    "WARNING: this store holds the demo users ({names}) with the documented password "
    "'{password}': anyone can log in as them. The demo is for a laptop only: on a real "
    "server, load real data into a new store, or disable these users "
    "(maillage users disable NAME)."
)


def warn_of_demo_users(store: GraphStore) -> bool:
    """Say loudly, at start, that a server still lets anyone in with the demo's password."""
    from api.security import verify_password
    from ingest.demo import DEMO_PASSWORD, DEMO_USERS

    open_doors = []
    for name in DEMO_USERS:
        try:
            user = store.get_user(name)
        except MaillageError:
            continue
        if not user.disabled and verify_password(store, name, DEMO_PASSWORD):
            open_doors.append(name)
    if open_doors:
        said = DEMO_WARNING.format(names=", ".join(open_doors), password=DEMO_PASSWORD)
        print(said, file=sys.stderr, flush=True)  # once, in the server's own output
    return bool(open_doors)


class WithoutQueryStrings(logging.Filter):
    """The access log keeps which page was asked, never what was searched (``?q=…``,
    ``/paths?source=…`` name actors and publics)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


QUIETER_ACCESS_LOG = WithoutQueryStrings()


#: the cycle collector's thresholds (Python's are 700, 10, 10): a region's snapshot or view makes
#: millions of objects, and at Python's pace each build set off two to four full passes over
#: everything kept (0.4-1 s of a 1.4-2.5 s build at 10,000 actors), so a full pass comes every
#: 10 million new objects (5,000 x 20 x 100), as many as it took before. Young passes every
#: 5,000 new objects and middle ones every 100,000: each write on Neo4j leaves about a hundred
#: objects in cycles (the driver's sessions and results), and passes ten times larger (every
#: 50,000 and 1,000,000) stopped a server process for 80-150 ms of CPU each, the slowest
#: writes under load (bench/RESULTS.md)
COLLECTOR = (5_000, 20, 100)


def warm_up(store: GraphStore) -> None:
    """What a server does as it starts, in a thread: the store's reads planned
    (``Snapshots.warm_up``), then the region's history read and kept (``KEPT.graph``): a
    coordinator's first region page cuts its snapshot from it instead of reading the region
    (0.7 s of a first page after a restart: bench/RESULTS.md), and is kept up to date after
    writes as any kept graph is. A store not answering yet is only noted: the first page will
    wait for it as it would have."""
    try:
        store.warm_up()
        KEPT.graph(store, None, None, history=True)
    except Exception:  # a warm-up never stops a server
        logging.getLogger("maillage").warning("the store's warm-up failed", exc_info=True)


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. The store is opened in the lifespan (or given, for tests) and closed after."""
    settings = settings or Settings()
    gc.set_threshold(*COLLECTOR)
    access_log = logging.getLogger("uvicorn.access")
    if QUIETER_ACCESS_LOG not in access_log.filters:
        access_log.addFilter(QUIETER_ACCESS_LOG)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store or open_store(settings)
        app.state.store = opened
        start_helper()  # the process beside this one for region-wide betweenness
        if store is None:  # a server's process (tests give their store and build many apps)
            warn_of_demo_users(opened)
            opened.recover_imports()  # an import this server was writing when it stopped
            threading.Thread(target=warm_up, args=(opened,), name="maillage-warm-up",
                             daemon=True).start()  # fmt: skip
            # what is loaded by now (FastAPI, pydantic's schemas, the catalogues, the store)
            # stays for the process's life: frozen, the cycle collector stops walking it at
            # each full pass, which paused every request at once (p99 of 50 writers on Neo4j
            # 345 -> 231 ms, on SQLite 190 -> 136 ms: bench/RESULTS.md)
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if store is None:
                opened.close()

    app = FastAPI(
        title="Maillage",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served from the package, not a CDN (api/hardening.py)
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        # no OpenTelemetry here: FastAPI's own instruments would ask the providers on every
        # request (4 % of a write's time, bench/RESULTS.md)
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    _document_empty_query_values(app)
    if store is not None:
        app.state.store = store
    install_error_handlers(app)
    install_pages(app)
    install_docs(app, "/api/v1/openapi.json")
    app.add_middleware(
        Hardening,
        max_body=settings.max_body,
        # an import's file, through the API or the import page
        large_bodies={
            "/api/v1/imports": settings.max_import_body,
            "/import": settings.max_import_body,
            "/api/v1/observations/import": settings.max_import_body,
            "/record/observations-sheet": settings.max_import_body,
            "/api/v1/neighbourhoods/sectors": settings.max_import_body,
        },
        tiles=settings.tiles,
    )
    for module in (
        auth,
        actors,
        links,
        activities,
        observations,
        crises,
        diagnosis,
        referrals,
        neighbourhoods,
        network,
        events,
        analysis,
        users,
        privacy,
        data,
    ):
        app.include_router(module.router, prefix="/api/v1")

    @app.get(
        "/health",
        tags=["health"],
        response_model=Health,
        response_model_exclude_none=True,
        summary="Is the service up, and on which store",
        description="Anyone may ask; the counts are given to logged-in users only.",
    )
    def health(request: Request) -> dict[str, Any]:
        current: GraphStore = request.app.state.store
        answer: dict[str, Any] = {"status": "ok", "store": current.backend}
        token = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        token = token or request.cookies.get(SESSION_COOKIE, "")
        if token and current.user_for_token(token_hash(token)) is not None:
            answer["counts"] = current.counts()
        return answer

    return app


def _document_empty_query_values(app: FastAPI) -> None:
    """FastAPI reads an empty value of an optional query parameter (``?as_of=``, what a form
    sends for a field left empty) as absent: the OpenAPI says so, so that a client, and the
    fuzzer, knows it is accepted."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    schema = parameter.get("schema", {})
                    options = schema.get("anyOf", [])
                    if parameter.get("in") == "query" and {"type": "null"} in options:
                        empty = {"type": "string", "maxLength": 0, "description": "absent"}
                        schema["anyOf"] = [*options, empty]
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
