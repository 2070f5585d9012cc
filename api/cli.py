"""The ``maillage`` command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from api.security import hash_password, issue_token
from api.settings import Settings, open_store
from graph.errors import MaillageError
from graph.model import Role, today
from graph.store import GraphStore

app = typer.Typer(
    help="Maillage: the living directory of a neighbourhood's actors.", no_args_is_help=True
)
console = Console(stderr=True)


def _fail(exc: MaillageError) -> typer.Exit:
    console.print(f"[red]error:[/red] {exc.message}")
    return typer.Exit(code=1)


@app.command()
def serve(
    host: str = typer.Option(
        None, help="Address to listen on (default: MAILLAGE_HOST or 127.0.0.1)"
    ),
    port: int = typer.Option(None, help="Port (default: MAILLAGE_PORT or 8000)"),
) -> None:
    """Serve the API and the web pages."""
    import uvicorn

    from api.app import create_app

    settings = Settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@app.command()
def demo(
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing if the store holds actors"),
    seed: int = typer.Option(2026, help="Seed of the generator (same seed, same neighbourhood)"),
) -> None:
    """Load the fictional demo neighbourhood into the configured store."""
    from ingest.demo import DEMO_PASSWORD, DEMO_USERS, add_demo_users, load

    with _store() as store:
        try:
            if store.counts()["actors"] > 0:
                if if_empty:
                    console.print("The store already holds data; demo not loaded.")
                    return
                console.print(
                    "[red]error:[/red] the store is not empty; the demo goes into an empty store"
                )
                raise typer.Exit(code=1)
            with console.status("Loading the demo neighbourhood…") as status:
                # the story's last month is this month: its figures are today's
                counts = load(
                    store,
                    seed=seed,
                    end=today(),
                    progress=lambda text: status.update(f"Loading {text}…"),
                )
                chosen = os.environ.get("MAILLAGE_DEMO_PASSWORD")
                add_demo_users(store, hash_password(chosen or DEMO_PASSWORD))
            console.print(f"Demo loaded into the {store.backend} store: {json.dumps(counts)}")
            # a password the user chose is never printed
            said = "from MAILLAGE_DEMO_PASSWORD" if chosen else f"password: {DEMO_PASSWORD!r}"
            console.print(
                f"Demo users: {', '.join(DEMO_USERS)} ({said}); "
                "log in at /api/v1/docs (Authorize) or POST /api/v1/auth/token."
            )
        except MaillageError as exc:
            raise _fail(exc) from exc


users_app = typer.Typer(help="Users and their API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Login name"),
    role: Role = typer.Option(..., help="bar, coordinator, viewer or admin"),
    actor: str = typer.Option(None, help="Id of the BAR team actor this user works in"),
) -> None:
    """Add a user; the password comes from MAILLAGE_PASSWORD or a prompt."""
    password = os.environ.get("MAILLAGE_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            console.print("[red]error:[/red] set MAILLAGE_PASSWORD (no terminal to ask on)")
            raise typer.Exit(code=1)
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=1) from exc
    with _store() as store:
        try:
            user = store.create_user(
                {"name": name, "role": role, "actor_id": actor}, hashed, by="cli"
            )
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"User {user.name} added with the role {user.role.value}.")


@users_app.command("token")
def users_token(name: str = typer.Argument(..., help="Login name")) -> None:
    """Print a new API token for a user (valid one year)."""
    with _store() as store:
        try:
            user = store.get_user(name)
            token, expires = issue_token(store, user.name, "api")
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"Token for {user.name}, valid until {expires:%Y-%m-%d}:")
    typer.echo(token)


@contextmanager
def _store() -> Iterator[GraphStore]:
    try:
        store = open_store(Settings())
    except MaillageError as exc:
        raise _fail(exc) from exc
    try:
        yield store
    finally:
        store.close()


class Analysis(StrEnum):
    isolation = "isolation"
    bridging = "bridging"
    brokerage = "brokerage"
    communities = "communities"
    growth = "growth"
    compare = "compare"
    referrals = "referrals"


@app.command()
def analyse(
    what: Analysis = typer.Argument(..., help="Which analysis"),
    as_of: datetime = typer.Option(None, "--as-of", formats=["%Y-%m-%d"], help="Day to analyse"),
    start: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Growth/referrals: from"),
    end: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Growth/referrals: to"),
    interval: str = typer.Option("month", help="week, month, quarter or year"),
    groups: str = typer.Option("kind", help="Brokerage groups: kind or community"),
    neighbourhood: str = typer.Option(None, help="Only this neighbourhood"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables"),
) -> None:
    """Run an analysis on the configured store and print it (tables, or JSON with --json)."""
    from api import analyses
    from api.report import print_report

    nb = neighbourhood
    day = as_of.date() if as_of else None
    first = start.date() if start else None
    last = end.date() if end else None
    with _store() as store:
        try:
            if what is Analysis.isolation:
                result = analyses.run_isolation(store, day, neighbourhood=nb)
            elif what is Analysis.bridging:
                result = analyses.run_bridging(store, day, groups=groups, neighbourhood=nb)
            elif what is Analysis.brokerage:
                result = analyses.run_brokerage(store, day, groups=groups, neighbourhood=nb)
            elif what is Analysis.communities:
                result = analyses.run_communities(store, day, neighbourhood=nb)
            elif what is Analysis.growth:
                result = analyses.run_growth(store, first, last, interval, neighbourhood=nb)
            elif what is Analysis.compare:
                if first is None:
                    console.print("[red]error:[/red] compare needs --start (and --end)")
                    raise typer.Exit(code=1)
                result = analyses.run_compare(store, first, last, neighbourhood=nb)
            else:
                result = analyses.run_referrals(store, first, last, interval, neighbourhood=nb)
        except MaillageError as exc:
            raise _fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        print_report(what.value, result, Console())


class Lang(StrEnum):
    fr = "fr"
    nl = "nl"
    en = "en"


class SizeMeasure(StrEnum):
    degree = "degree"
    betweenness = "betweenness"
    constraint = "constraint"


@app.command()
def view(
    what: str = typer.Argument(..., help="neighbourhood, ego, path, bridging, isolation or growth"),
    output: Path = typer.Option(..., "--output", "-o", help="The HTML file to write"),
    as_of: datetime = typer.Option(None, "--as-of", formats=["%Y-%m-%d"], help="Day to show"),
    neighbourhood: str = typer.Option(None, help="Only this neighbourhood"),
    actor: str = typer.Option(None, help="ego: the actor at the centre; path: where it starts"),
    target: str = typer.Option(None, help="path: the actor to reach"),
    depth: int = typer.Option(2, min=1, max=3, help="ego: steps shown at first (1-3)"),
    measure: SizeMeasure = typer.Option(SizeMeasure.degree, help="What sets the actors' size"),
    lang: Lang = typer.Option(Lang.fr, help="Language of the page: fr, nl or en"),
    relayout: bool = typer.Option(False, help="Lay out every actor again (the map changes)"),
) -> None:
    """Save a graph view as one HTML file that opens offline (for a team meeting)."""
    from api.views import ViewName, build_view
    from viz import save

    try:
        name = ViewName(what)
    except ValueError:
        console.print(
            f"[red]error:[/red] no view {escape(what)!r}: choose one of "
            + ", ".join(v.value for v in ViewName)
        )
        raise typer.Exit(code=2) from None
    with _store() as store:
        try:
            page = build_view(
                store,
                name,
                as_of=as_of.date() if as_of else None,
                neighbourhood=neighbourhood,
                actor=actor,
                target=target,
                depth=depth,
                measure=measure.value,
                lang=lang.value,
                relayout=relayout,
            )
        except MaillageError as exc:
            raise _fail(exc) from exc
    try:
        save(page, output)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write {escape(str(output))}: {exc.strerror}")
        raise typer.Exit(code=1) from exc
    console.print(f"{len(page.nodes)} actors, {len(page.edges)} links written to {output}")


@app.command()
def info() -> None:
    """Which store is configured and what it holds."""
    with _store() as store:
        typer.echo(json.dumps({"store": store.backend, "counts": store.counts()}, indent=2))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
