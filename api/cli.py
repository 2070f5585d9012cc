"""The ``maillage`` command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer
from fastapi import HTTPException
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from api.scoped import ScopedStore
from api.security import CLI_TOKEN_DAYS, hash_password, issue_token
from api.settings import Settings, open_store
from graph.errors import InvalidInput, MaillageError, Say
from graph.model import Role, User, now, today
from graph.store import GraphStore

T = TypeVar("T")
app = typer.Typer(
    help="Maillage: the living directory of a neighbourhood's actors.", no_args_is_help=True
)
console = Console(stderr=True)
out = Console()  # what a command answers (its table, an actor's details), for a pipe too


def _fail(exc: MaillageError) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(exc.message)}")
    return typer.Exit(code=1)


def _refused(exc: HTTPException) -> typer.Exit:
    """The access policy said no (a user given with --as)."""
    console.print(f"[red]refused:[/red] {escape(str(exc.detail))}")
    return typer.Exit(code=1)


def _answered(run: Callable[[], T]) -> T:
    """What ``run`` answers, or the refusal (the policy's or the store's) said and exit 1."""
    try:
        return run()
    except HTTPException as exc:
        raise _refused(exc) from exc
    except MaillageError as exc:
        raise _fail(exc) from exc


def _team_scope(store: ScopedStore, neighbourhood: str | None) -> str | None:
    """The neighbourhood asked; else the user's team's (every one for managers)."""
    return neighbourhood or (None if store.access.sees_everything else store.access.team_label)


def analysis_names() -> list[str]:
    from api.analyses import REGISTRY

    return list(REGISTRY)


@app.command()
def serve(
    host: str = typer.Option(
        None, help="Address to listen on (default: MAILLAGE_HOST or 127.0.0.1)"
    ),
    port: int = typer.Option(None, help="Port (default: MAILLAGE_PORT or 8000)"),
    workers: int = typer.Option(None, help="Server processes (default: MAILLAGE_WORKERS or 1)"),
) -> None:
    """Serve the API and the web pages."""
    import uvicorn

    from api import serving

    settings = Settings()
    options: dict[str, Any] = {
        "app": "api.app:create_app",  # each process builds its app from the same settings
        "factory": True,
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": "info",
        "server_header": False,  # no banner saying what runs here
        # forwarded headers are believed from the configured proxies only (none by default):
        # behind a TLS proxy each client is throttled on its own address and its requests are
        # https (Secure cookies, HSTS); anyone else's X-Forwarded-For is ignored
        "proxy_headers": bool(settings.trusted_proxies.strip()),
        "forwarded_allow_ips": settings.trusted_proxies.strip() or "",
    }
    processes = workers or settings.workers
    if processes > 1 and serving.balanced():  # a socket each: connections spread evenly
        raise typer.Exit(serving.serve(options, processes))
    uvicorn.run(**options, workers=processes)


@app.command()
def demo(
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing if the store holds data"),
    seed: int = typer.Option(2026, help="Seed of the generator (same seed, same neighbourhood)"),
) -> None:
    """Load the fictional demo neighbourhood into the configured store."""
    from ingest.demo import DEMO_PASSWORD, DEMO_USERS, add_demo_users, load

    with _store() as store:
        try:
            if not store.is_empty():  # users, neighbourhoods or records: someone's data
                if if_empty:
                    console.print("The store already holds data; demo not loaded.")
                    return
                console.print(
                    "[red]error:[/red] the store is not empty (it holds users, neighbourhoods "
                    "or records); the demo goes into an empty store only"
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
                # the documented demo password is for a laptop demo; a chosen one must pass
                hashed = hash_password(chosen or DEMO_PASSWORD, "", check=bool(chosen))
                add_demo_users(store, hashed)
            console.print(f"Demo loaded into the {store.backend} store: {json.dumps(counts)}")
            # a password the user chose is never printed
            said = "from MAILLAGE_DEMO_PASSWORD" if chosen else f"password: {DEMO_PASSWORD!r}"
            console.print(
                f"Demo users: {', '.join(DEMO_USERS)} ({said}); "
                "log in at /api/v1/docs (Authorize) or POST /api/v1/auth/token."
            )
        except MaillageError as exc:
            raise _fail(exc) from exc


places_app = typer.Typer(help="The neighbourhoods actors are placed in.", no_args_is_help=True)
app.add_typer(places_app, name="neighbourhoods")


@places_app.command("add")
def neighbourhoods_add(
    name: str = typer.Argument(..., help="The neighbourhood's name, as teams write it"),
    municipality: str = typer.Option(..., help="Its municipality (Anderlecht, Molenbeek…)"),
) -> None:
    """Record a neighbourhood: an actor's neighbourhood must be a recorded one."""
    with _store() as store:
        try:
            made = store.create_neighbourhood(
                {"name": name, "municipality": municipality}, by="cli"
            )
        except MaillageError as exc:
            raise _fail(exc) from exc
    Console().print(f"{escape(made.name)} ({escape(made.municipality)}) recorded: {made.id}")


@places_app.command("list")
def neighbourhoods_list() -> None:
    """The neighbourhoods recorded today."""
    with _store() as store:
        for place in store.list_neighbourhoods(limit=1000).items:
            Console().print(f"{escape(place.name)} ({escape(place.municipality)})")


users_app = typer.Typer(help="Users and their API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Login name"),
    role: Role = typer.Option(..., help="bar, coordinator, viewer or admin"),
    actor: str = typer.Option(None, help="Id of the BAR team actor this user works in"),
) -> None:
    """Add a user; the password comes from MAILLAGE_PASSWORD or a prompt."""
    hashed = _hashed_password(name)
    with _store() as store:
        try:
            user = store.create_user(
                {"name": name, "role": role, "actor_id": actor}, hashed, by="cli"
            )
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"User {user.name} added with the role {user.role.value}.")


@users_app.command("token")
def users_token(
    name: str = typer.Argument(..., help="Login name"),
    expires: int = typer.Option(
        CLI_TOKEN_DAYS, "--expires", min=1, max=365, help="Days the token is valid"
    ),
) -> None:
    """Print a new API token for a user (valid 30 days unless --expires says otherwise)."""
    with _store() as store:
        try:
            user = store.get_user(name)
            if user.disabled:
                console.print(f"[red]error:[/red] {escape(user.name)} is disabled")
                raise typer.Exit(code=1)
            token, until = issue_token(store, user.name, "api", timedelta(days=expires))
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"Token for {escape(user.name)}, valid until {until:%Y-%m-%d}:")
    typer.echo(token)


def _change(name: str, changes: dict[str, object], said: str) -> None:
    with _store() as store:
        try:
            user = store.update_user(name, changes, by="cli")
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"{escape(user.name)} {said}.")


@users_app.command("disable")
def users_disable(name: str = typer.Argument(..., help="Login name")) -> None:
    """Disable a user: they cannot log in, and their tokens stop working at once."""
    _change(name, {"disabled": True}, "is disabled")


@users_app.command("enable")
def users_enable(name: str = typer.Argument(..., help="Login name")) -> None:
    """Enable a disabled user again."""
    _change(name, {"disabled": False}, "is enabled")


@users_app.command("role")
def users_role(
    name: str = typer.Argument(..., help="Login name"),
    role: Role = typer.Argument(..., help="bar, coordinator, viewer or admin"),
) -> None:
    """Change a user's role."""
    _change(name, {"role": role}, f"is now {role.value}")


@users_app.command("password")
def users_password(name: str = typer.Argument(..., help="Login name")) -> None:
    """Set a new password (from MAILLAGE_PASSWORD or a prompt); the user's tokens are
    revoked."""
    hashed = _hashed_password(name)
    with _store() as store:
        try:
            user = store.get_user(name)
            store.set_password(user.name, hashed, by="cli")
            revoked = store.revoke_tokens(user.name)
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"New password for {escape(user.name)}; {revoked} token(s) revoked.")


@users_app.command("tokens")
def users_tokens(name: str = typer.Argument(..., help="Login name")) -> None:
    """List a user's tokens (short ids, kind, expiry)."""
    with _store() as store:
        try:
            listed = store.list_tokens(name)
        except MaillageError as exc:
            raise _fail(exc) from exc
    table = Table(title=f"tokens of {escape(name)}")
    for column in ("id", "kind", "created", "expires", "state"):
        table.add_column(column)
    for t in listed:
        state = "revoked" if t.revoked else "active"
        table.add_row(t.id, t.kind, f"{t.created_at:%Y-%m-%d %H:%M}",
                      f"{t.expires_at:%Y-%m-%d %H:%M}", state)  # fmt: skip
    Console().print(table)


@users_app.command("revoke")
def users_revoke(
    name: str = typer.Argument(..., help="Login name"),
    token_id: str = typer.Argument("all", help="A token's short id (see 'tokens'), or all"),
) -> None:
    """Revoke one token of a user, or all of them."""
    which = None if token_id == "all" else token_id  # noqa: S105 - a word, not a password
    with _store() as store:
        try:
            count = store.revoke_tokens(name, which)
        except MaillageError as exc:
            raise _fail(exc) from exc
    console.print(f"{count} token(s) of {escape(name)} revoked.")


def _hashed_password(name: str) -> str:
    """The password from MAILLAGE_PASSWORD or a prompt, checked against the rules and hashed."""
    password = os.environ.get("MAILLAGE_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            console.print("[red]error:[/red] set MAILLAGE_PASSWORD (no terminal to ask on)")
            raise typer.Exit(code=1)
        password = str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        return hash_password(password, name)
    except ValueError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(code=1) from exc


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


AS_USER = typer.Option(
    None,
    "--as",
    help="Work as this user: what they may see (default: the server's operator, who sees all)",
)


@contextmanager
def _scoped_store(as_user: str | None) -> Iterator[ScopedStore]:
    """The store as a user reaches it (``--as NAME``), or as the server's operator: whoever
    runs the command line on the server holds the database, and reads as an admin."""
    from api.policy import access_of

    with _store() as store:
        if as_user is None:
            operator = User(name="cli", role=Role.admin, recorded_by="cli", recorded_at=now())
            yield ScopedStore(store, access_of(operator, store))
            return
        try:
            user = store.get_user(as_user)
        except MaillageError as exc:
            raise _fail(exc) from exc
        yield ScopedStore(store, access_of(user, store))


actors_app = typer.Typer(
    help="The living directory: an actor's details, the actors to check", no_args_is_help=True
)
app.add_typer(actors_app, name="actors")


@actors_app.command("show")
def actors_show(
    name: str = typer.Argument(..., help="A name, or part of one (accents ignored)"),
    as_user: str = AS_USER,
) -> None:
    """What a referral needs of the actors whose names match: phones, e-mail, hours,
    conditions and whether they take new people."""
    from graph.hours import by_day
    from graph.living import last_confirmed, phone_text
    from graph.model import ActorQuery

    with _scoped_store(as_user) as store:
        found = store.list_actors(ActorQuery(q=name), limit=20).items
        if not found:
            console.print(f"no actor's name matches {escape(name)!r}")
            raise typer.Exit(1)
        for actor in found:
            out.print(f"[bold]{escape(actor.name)}[/bold] · {escape(actor.neighbourhood)}")
            for phone in actor.phones:
                out.print(f"  {phone.label.value}: {phone_text(phone.number)}")
            for text in (actor.email, actor.website, actor.address):
                if text:
                    out.print(f"  {escape(text)}")
            for day, openings in by_day(actor.hours):
                spans = ", ".join(
                    f"{o.opens}–{o.closes}" + ("" if o.walk_in else " (appointment)")
                    for o in openings
                )
                out.print(f"  {day.value}: {spans}")
            if actor.saturation is not None:
                weeks = f", {actor.saturation.weeks} weeks" if actor.saturation.weeks else ""
                out.print(f"  new people: {actor.saturation.state.value}{weeks}")
            when, who = last_confirmed(actor)
            out.print(f"  confirmed {when.isoformat()} by {escape(who)}")


@actors_app.command("to-check")
def actors_to_check(
    months: int = typer.Option(6, min=1, max=60, help="Not confirmed for this many months"),
    as_user: str = AS_USER,
) -> None:
    """The actors not confirmed for ``--months`` months, the longest first (a team's round)."""
    from graph.living import days_of, last_confirmed, stale_actors
    from graph.model import ActorQuery

    with _scoped_store(as_user) as store:
        seen = store.every_actor(ActorQuery())
        table = Table("actor", "neighbourhood", "last confirmed", "by")
        stale = stale_actors(seen, today(), days_of(months))
        for actor in stale:
            when, who = last_confirmed(actor)
            table.add_row(escape(actor.name), escape(actor.neighbourhood), when.isoformat(),
                          escape(who))  # fmt: skip
        out.print(table)
        out.print(f"{len(stale)} to check")


AnalysisName = StrEnum(  # type: ignore[misc]
    "AnalysisName", {name: name for name in analysis_names()}
)


@app.command()
def analyse(
    what: AnalysisName = typer.Argument(..., help="Which analysis"),
    as_of: datetime = typer.Option(None, "--as-of", formats=["%Y-%m-%d"], help="Day to analyse"),
    start: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="growth, referrals: from"),
    end: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="growth, referrals: to"),
    first: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="compare: the earlier day"),
    second: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="compare: the later day"),
    interval: str = typer.Option(None, help="growth, referrals: week, month, quarter or year"),
    groups: str = typer.Option(None, help="bridging, brokerage: kind or community"),
    seed: int = typer.Option(None, help="bridging, brokerage, communities: Louvain's seed"),
    top: int = typer.Option(None, help="bridging, brokerage: how many to list"),
    opportunities: int = typer.Option(None, help="bridging: introductions to list"),
    resolution: float = typer.Option(None, help="communities: Louvain's resolution"),
    dormant_months: int = typer.Option(None, help="isolation: dormant after N months"),
    window: int = typer.Option(None, help="referrals: intervals compared for saturation"),
    by_neighbourhood: bool = typer.Option(
        None, "--by-neighbourhood/--overall-only", help="growth: a series per neighbourhood"
    ),
    neighbourhood: str = typer.Option(None, help="Only this neighbourhood"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables"),
    as_user: str = AS_USER,
) -> None:
    """Run an analysis on the configured store and print it (tables, or JSON with --json).

    The options are the analysis's parameters, as on /api/v1/analysis/WHAT; an option that
    the analysis does not take is refused."""
    from api.analyses import REGISTRY
    from api.report import print_report

    given = {
        "as_of": as_of.date() if as_of else None,
        "start": start.date() if start else None,
        "end": end.date() if end else None,
        "first": first.date() if first else None,
        "second": second.date() if second else None,
        "interval": interval,
        "groups": groups,
        "seed": seed,
        "top": top,
        "opportunities": opportunities,
        "resolution": resolution,
        "dormant_months": dormant_months,
        "window": window,
        "by_neighbourhood": by_neighbourhood,
    }
    parameters = {k: v for k, v in given.items() if v is not None}
    analysis = REGISTRY[what.value]
    with _scoped_store(as_user) as store:
        try:
            result = analysis(store, parameters, store.figures_scope(neighbourhood))
        except HTTPException as exc:
            raise _refused(exc) from exc
        except MaillageError as exc:
            raise _fail(exc) from exc
    if as_json:
        typer.echo(result.model_dump_json(indent=2, by_alias=True))
    else:
        print_report(what.value, result, Console())


class Lang(StrEnum):
    fr = "fr"
    nl = "nl"
    en = "en"


observations_app = typer.Typer(
    help="Observations: what actors say about the neighbourhood (the diagnosis)",
    no_args_is_help=True,
)
app.add_typer(observations_app, name="observations")


@observations_app.command("add")
def observations_add(
    text: str = typer.Argument(..., help="What was said (never about a person)"),
    kind: str = typer.Option("need", help="need, problem, resource, wish or change"),
    theme: str = typer.Option(..., help="A theme of the vocabulary, in any of its languages"),
    public: list[str] = typer.Option([], help="A public concerned (repeat for several)"),
    sector: list[str] = typer.Option([], help="A statistical sector (repeat for several)"),
    said_by: list[str] = typer.Option([], "--said-by", help="An actor's name (repeat)"),
    day: datetime = typer.Option(None, "--date", formats=["%Y-%m-%d"], help="Default: today"),
    neighbourhood: str = typer.Option(None, help="Default: the user's team's"),
    as_user: str = AS_USER,
) -> None:
    """Record one observation, as the pages and the API do (the text is checked for names,
    phones and e-mail addresses)."""
    from ingest.observations import plan_observations

    with _scoped_store(as_user) as store:
        fields: dict[str, Any] = {"kind": kind, "theme": theme, "target_groups": public,
                                  "sectors": sector, "sources": said_by, "text": text,
                                  "date": (day.date() if day else today()).isoformat()}  # fmt: skip
        if neighbourhood:
            fields["neighbourhood"] = neighbourhood
        planned = _answered(lambda: plan_observations(store, [(1, fields)],
                                                      store.access.team_label))  # fmt: skip
        made = _answered(lambda: store.create_observations(planned)[0])
        out.print(f"recorded {made.id} ({made.kind.value}, {escape(made.theme)})")


@observations_app.command("import")
def observations_import(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV or XLSX sheet"),
    neighbourhood: str = typer.Option(None, help="For rows without one (default: the team's)"),
    as_user: str = AS_USER,
) -> None:
    """Record a sheet of observations, all or nothing (see ``POST /api/v1/observations/import``)."""
    from ingest.observations import import_observations
    from ingest.readers import read_path

    with _scoped_store(as_user) as store:
        data, name = _answered(lambda: read_path(path))
        place = neighbourhood or store.access.team_label
        made = _answered(lambda: import_observations(store, data, name, place))
        out.print(f"{len(made)} observations recorded")


@observations_app.command("list")
def observations_list(
    neighbourhood: str = typer.Option(None, help="Only this neighbourhood"),
    theme: str = typer.Option(None, help="Only this theme"),
    start: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="From this day"),
    end: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="To this day"),
    as_user: str = AS_USER,
) -> None:
    """The observations, newest first."""
    from graph.model import ObservationQuery

    with _scoped_store(as_user) as store:
        query = ObservationQuery(neighbourhood=neighbourhood, theme=theme,
                                 start=start.date() if start else None,
                                 end=end.date() if end else None)  # fmt: skip
        found = store.list_observations(query, limit=1000)
        from api.report import shown

        table = Table("date", "kind", "theme", "said by", "text")
        names: dict[str, str] = {}
        for actor_id in {s for o in found.items for s in o.sources}:
            try:
                names[actor_id] = store.get_actor(actor_id).name
            except MaillageError:
                continue
        for o in found.items:
            said = ", ".join(names.get(s, "?") for s in o.sources) or "BAR"
            table.add_row(o.date.isoformat(), o.kind.value, shown(o.theme), shown(said),
                          shown(o.text))  # fmt: skip
        out.print(table)
        out.print(f"{found.total} observations")


@app.command()
def diagnosis(
    neighbourhood: str = typer.Option(None, help="Default: the user's team's (all for managers)"),
    start: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Default: six months ago"),
    end: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Default: this month's end"),
    xlsx: Path = typer.Option(None, help="Also write its tables to this XLSX file"),
    lang: Lang = typer.Option(None, help="The XLSX's language: fr, nl or en"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables"),
    as_user: str = AS_USER,
) -> None:
    """The diagnosis of a neighbourhood for a period, as /diagnosis shows it."""
    from api.diagnosis import as_xlsx, check_period, tables
    from api.diagnosis import diagnosis as diagnose
    from api.report import print_diagnosis

    with _scoped_store(as_user) as store:
        place = _team_scope(store, neighbourhood)
        first, last = _answered(lambda: check_period(start and start.date(), end and end.date()))
        found = _answered(lambda: diagnose(store, place, first, last))
    if xlsx is not None:
        from api.web.i18n import translations
        from api.web.pages.diagnosis import HEADINGS, TABLE_TITLES
        from graph.vocabulary import label

        language = (lang or Lang.fr).value
        _ = translations(language).gettext
        named = tables(found, lambda f, c: label(f, c, language),
                       lambda k: _(HEADINGS[k]) if k in HEADINGS else k)  # fmt: skip
        xlsx.write_bytes(as_xlsx(named, {k: _(v) for k, v in TABLE_TITLES.items()}))
        console.print(f"wrote {xlsx}")
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
    else:
        print_diagnosis(found, Console())


@app.command()
def indicators(
    neighbourhood: str = typer.Option(None, help="Default: the user's team's (all for managers)"),
    start: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Default: a year ago"),
    end: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="Default: today"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the records behind)"),
    as_user: str = AS_USER,
) -> None:
    """The missions' indicators for a period, as /indicators shows them."""
    from api.indicators import check_period, indicators_of
    from api.report import print_indicators

    with _scoped_store(as_user) as store:
        place = _team_scope(store, neighbourhood)
        first, last = _answered(lambda: check_period(start and start.date(), end and end.date()))
        found = _answered(lambda: indicators_of(store, place, first, last))
    if as_json:
        typer.echo(found.model_dump_json(indent=2))
    else:
        print_indicators(found, Console())


crises_app = typer.Typer(
    help="Crisis lists: a public to reach in a crisis, and who called whom", no_args_is_help=True
)
app.add_typer(crises_app, name="crises")


@crises_app.command("open")
def crises_open(
    name: str = typer.Argument(..., help="What is happening: 'Canicule, juillet'"),
    public: str = typer.Option(None, help="The target group to reach (any language)"),
    language: str = typer.Option(None, help="The language they speak"),
    theme: str = typer.Option(None, help="A theme"),
    neighbourhood: str = typer.Option(None, help="Default: the user's team's"),
    as_user: str = AS_USER,
) -> None:
    """Open a crisis list; prints its id."""
    with _scoped_store(as_user) as store:
        data = {"name": name, "target_group": public, "language": language, "theme": theme,
                "neighbourhood": neighbourhood or store.access.team_label}  # fmt: skip
        made = _answered(lambda: store.create_crisis(data))
        out.print(f"opened {made.id}")


@crises_app.command("list")
def crises_list(as_user: str = AS_USER) -> None:
    """The crisis lists, open ones first."""
    from api.report import shown
    from graph.model import CrisisQuery

    with _scoped_store(as_user) as store:
        table = Table("id", "name", "neighbourhood", "since", "closed")
        for c in store.list_crises(CrisisQuery(), limit=200).items:
            table.add_row(c.id, shown(c.name), shown(c.neighbourhood), str(c.since),
                          str(c.until or ""))  # fmt: skip
        out.print(table)


@crises_app.command("show")
def crises_show(crisis_id: str = typer.Argument(...), as_user: str = AS_USER) -> None:
    """The actors to call, nearest to the team first: phones, the chain, the latest call."""
    from api.crisis import crisis_list
    from api.report import shown
    from graph.living import phone_text

    with _scoped_store(as_user) as store:
        listed = _answered(lambda: crisis_list(store, store.get_crisis(crisis_id)))
        table = Table("actor", "phones", "from the team", "call")
        for row in listed.rows:
            phones = ", ".join(phone_text(p.number) for p in row.actor.phones)
            call = f"{row.call.state.value} ({row.call.by})" if row.call else "not_yet"
            table.add_row(shown(row.actor.name), phones, shown(" → ".join(row.chain)), call)
        out.print(table)
        out.print(f"done {listed.done} · no answer {listed.no_answer} · not yet {listed.not_yet}")


@crises_app.command("call")
def crises_call(
    crisis_id: str = typer.Argument(...),
    actor: str = typer.Argument(..., help="The actor's name (as the directory has it)"),
    state: str = typer.Option("done", help="done, no_answer or not_yet"),
    as_user: str = AS_USER,
) -> None:
    """Record a call of the list."""
    from graph.model import ActorQuery, normalise_name

    with _scoped_store(as_user) as store:
        found = [a for a in store.list_actors(ActorQuery(q=actor), limit=10).items
                 if normalise_name(a.name) == normalise_name(actor)]  # fmt: skip
        if len(found) != 1:
            console.print(f"[red]error:[/red] no single actor is called {escape(actor)!r}")
            raise typer.Exit(1)
        _answered(lambda: store.record_call(crisis_id, {"actor": found[0].id,
                                                              "state": state}))  # fmt: skip
        out.print(f"{escape(found[0].name)}: {state}")


@crises_app.command("close")
def crises_close(crisis_id: str = typer.Argument(...), as_user: str = AS_USER) -> None:
    """The crisis is over: close the list (kept with its calls in the history)."""
    with _scoped_store(as_user) as store:
        _answered(lambda: store.end_crisis(crisis_id, today()))
        out.print("closed")


@places_app.command("sectors")
def neighbourhoods_sectors(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="Statbel's GeoJSON"),
    figures: Path = typer.Option(None, exists=True, dir_okay=False, help="Figures (CSV)"),
    as_user: str = AS_USER,
) -> None:
    """Import the statistical sectors the neighbourhoods name (boundaries reprojected to WGS 84
    and simplified; Lambert 72 or 2008 as Statbel publishes them) and their figures."""
    from ingest.readers import read_path
    from ingest.sectors import import_sectors

    with _scoped_store(as_user) as store:
        _answered(lambda: store.access.check_coordinator(Say("import statistical sectors")))
        data, name = _answered(lambda: read_path(path))
        extra, extra_name = _answered(lambda: read_path(figures)) if figures else (None, "")
        done = _answered(lambda: import_sectors(store, data, name, extra, extra_name))
    for place, count in done["written"].items():
        out.print(f"{escape(place)}: {count} sectors")
    if done["missing"]:
        out.print(f"not in the file: {', '.join(done['missing'])}")


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
    as_user: str = AS_USER,
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
    with _scoped_store(as_user) as store:
        try:
            page = build_view(
                store,
                name,
                as_of=as_of.date() if as_of else None,
                neighbourhood=store.figures_scope(neighbourhood),
                actor=actor,
                target=target,
                depth=depth,
                measure=measure.value,
                lang=lang.value,
                relayout=relayout,
            )
        except HTTPException as exc:
            raise _refused(exc) from exc
        except MaillageError as exc:
            raise _fail(exc) from exc
    try:
        save(page, output)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot write {escape(str(output))}: {exc.strerror}")
        raise typer.Exit(code=1) from exc
    console.print(
        f"{len(page.nodes)} actors, {len(page.edges)} links written to {escape(str(output))}"
    )


@app.command()
def purge(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List who would be erased; change nothing"
    ),
    months: int = typer.Option(
        None, min=1, help="Retention period (default: MAILLAGE_RETENTION_MONTHS or 24)"
    ),
) -> None:
    """Erase key residents ended longer ago than the retention period (privacy)."""
    from graph.retention import purge as run_purge

    period = months or Settings().retention_months
    with _store() as store:
        try:
            erased = run_purge(store, period, today(), by="purge", dry_run=dry_run)
        except MaillageError as exc:
            raise _fail(exc) from exc
    out = Console()
    verb = "would be erased" if dry_run else "erased"
    for actor in erased:
        out.print(f"{escape(actor.name)} ({actor.id}), ended on {actor.until}: {verb}")
    out.print(f"{len(erased)} key resident(s) ended more than {period} months ago {verb}.")


def _mapping(path: Path | None) -> dict[str, Any] | None:
    """A mapping file (TOML or JSON): ``[kinds]`` and ``[link_types]`` tables."""
    if path is None:
        return None
    import tomllib

    text = path.read_text(encoding="utf-8")
    try:
        loaded = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        console.print(f"[red]error:[/red] {escape(path.name)} is not a readable mapping: {exc}")
        raise typer.Exit(code=1) from exc
    return dict(loaded)


@app.command("import")
def import_file(
    file: Path = typer.Argument(
        None, exists=True, help="CSV, XLSX, Kumu JSON or XLSX, HSDS zip or folder"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the plan; write nothing"),
    template: Path = typer.Option(
        None, "--template", help="Write the import template workbook to this file and stop"
    ),
    neighbourhood: str = typer.Option(None, help="For actors whose row gives none"),
    kind: str = typer.Option(None, help="For actors whose row gives none (HSDS: required)"),
    link_type: str = typer.Option(None, help="For links whose row gives none"),
    mapping: Path = typer.Option(
        None, exists=True, help="TOML or JSON: [kinds] and [link_types] from your words to ours"
    ),
    by: str = typer.Option("cli", help="Who imports (named in every event)"),
) -> None:
    """Import actors and links: all or nothing, the same file twice changes nothing."""
    from rich.progress import Progress

    from ingest.export import template as template_workbook
    from ingest.plan import Options, run_import
    from ingest.readers import read, read_path

    if template is not None:
        template.write_bytes(template_workbook())
        Console().print(f"template written to {escape(str(template))}")
        return
    if file is None:
        console.print("[red]error:[/red] give a FILE to import (or --template FILE)")
        raise typer.Exit(code=1)
    options = Options(neighbourhood, kind, link_type, _mapping(mapping))
    with _store() as store, Progress(console=console, transient=True) as bar:
        task = bar.add_task(f"reading {escape(file.name)}", total=None)
        try:
            data, name = read_path(file)
            source = read(data, name, folder=file if file.is_dir() else None)
            report = run_import(
                store,
                source,
                by=by,
                options=options,
                dry_run=dry_run,
                progress=lambda n: bar.advance(task, n),
            )
        except MaillageError as exc:
            bar.stop()
            _print_refused(exc)
            raise _fail(exc) from exc
    _print_report(report, dry_run)


def _print_refused(exc: MaillageError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    refused = details.get("refused") or []
    if not refused:
        return
    table = Table("sheet", "row", "column", "reason", title="refused (nothing was written)")
    for problem in refused[:50]:
        table.add_row(*(escape(str(problem[k])) for k in ("sheet", "row", "column", "reason")))
    console.print(table)


def _print_report(report: dict[str, Any], dry_run: bool) -> None:
    out = Console()
    counts = report["counts"]
    verb = "would be" if dry_run else "were"
    for what in ("actors", "links"):
        out.print(
            f"{what}: {counts['created'][what]} {verb} created, {counts['updated'][what]} "
            f"updated, {counts['unchanged'][what]} left alone"
        )
    for item in report["similar"]:
        out.print(f"[yellow]look-alike:[/yellow] {escape(str(item['reason']))}")
    for column in report["not_kept"]:
        out.print(
            f"[yellow]not kept:[/yellow] {escape(column['sheet'])}, {escape(column['column'])} "
            f"({column['values']} values)"
        )
    for note in report["notes"]:
        out.print(
            f"[yellow]note:[/yellow] {escape(str(note['sheet']))}, row {note['row']}, "
            f"{escape(str(note['column'] or '-'))}: {escape(str(note['reason']))}"
        )
    if report.get("nothing_written"):
        out.print(
            f"nothing {'would be' if dry_run else 'was'} written: "
            f"{escape(str(report['nothing_written']))}"
        )
    if dry_run:
        for what in ("actors", "links"):
            for name in report["created"][what][:20]:
                out.print(f"  + {escape(name)}")
            for name in report["updated"][what][:20]:
                out.print(f"  ~ {escape(name)}")


@app.command("export")
def export_file(
    format: str = typer.Option(
        ...,
        "--format",
        help="gexf or graphml (Gephi), graphml-directed (networkx, igraph), kumu, kumu-xlsx, "
        "csv (a zip), xlsx or json (backup)",
    ),
    output: Path = typer.Option(..., "--output", help="The file to write"),
    as_of: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="The network on that date"),
    neighbourhood: str = typer.Option(None, help="One neighbourhood only"),
    as_user: str = AS_USER,
) -> None:
    """Export the network (Gephi, Kumu, spreadsheets) or back everything up (json)."""
    from ingest.export import ExportFormat, export

    try:
        fmt = ExportFormat(format)
    except ValueError as exc:
        console.print(f"[red]error:[/red] unknown format {escape(format)!r}")
        raise typer.Exit(code=1) from exc
    with _scoped_store(as_user) as store:
        try:
            if store.access.reads_nothing:
                raise InvalidInput(
                    Say("this user is not attached to a BAR team: nothing to export")
                )
            made = export(
                store, fmt, as_of=as_of.date() if as_of else None, neighbourhood=neighbourhood
            )
        except HTTPException as exc:
            raise _refused(exc) from exc
        except MaillageError as exc:
            raise _fail(exc) from exc
    output.write_bytes(made.data)
    Console().print(f"{len(made.data):,} bytes written to {escape(str(output))}")


@app.command()
def restore(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A JSON backup"),
    replace: bool = typer.Option(
        False, "--replace", help="Delete everything the store holds first (refused otherwise)"
    ),
) -> None:
    """Restore a backup (maillage export --format json) into an empty store."""
    try:
        backup = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        console.print(f"[red]error:[/red] {escape(file.name)} is not a JSON backup: {exc}")
        raise typer.Exit(code=1) from exc
    if not isinstance(backup, dict) or "records" not in backup:
        console.print(f"[red]error:[/red] {escape(file.name)} is not a Maillage backup")
        raise typer.Exit(code=1)
    with _store() as store:
        try:
            done = store.restore(backup, replace=replace)
        except MaillageError as exc:
            raise _fail(exc) from exc
    Console().print(", ".join(f"{n} {kind}" for kind, n in done.items()) + " restored")


@app.command()
def migrate() -> None:
    """Bring the store to this release's shape: on Neo4j, the property graph of docs/NEO4J.md
    (every field a typed property, kinds as labels, IN/WITH/FROM/TO), 1,000 records per
    transaction; a SQLite store migrates as it opens. Safe to stop and to run again."""
    settings = Settings()
    if settings.store != "neo4j":
        with _store():
            pass
        typer.echo("the SQLite store is up to date")
        return
    from rich.progress import Progress

    from graph.neo4j_store import Neo4jGraphStore

    try:
        secret = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        store = Neo4jGraphStore(settings.neo4j_uri, user=settings.neo4j_user, password=secret,
                                database=settings.neo4j_database, migrate=False)  # fmt: skip
        with Progress(console=console) as bar:
            task = bar.add_task("records moved", total=None)
            moved = store.migrate_shape(lambda n: bar.advance(task, n))
        store.ensure_schema()  # and what follows it (names compared as today)
    except MaillageError as exc:
        raise _fail(exc) from exc
    store.close()
    typer.echo(f"{moved} records moved to the property graph" if moved else "up to date")


@app.command()
def info() -> None:
    """Which store is configured and what it holds."""
    with _store() as store:
        typer.echo(json.dumps({"store": store.backend, "counts": store.counts()}, indent=2))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
