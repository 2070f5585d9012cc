"""The ``maillage`` command line."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from api.settings import Settings, open_store
from graph.errors import MaillageError

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
    from ingest.demo import load

    settings = Settings()
    try:
        store = open_store(settings)
    except MaillageError as exc:
        raise _fail(exc) from exc
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
            counts = load(store, seed=seed, progress=lambda text: status.update(f"Loading {text}…"))
        console.print(f"Demo loaded into the {store.backend} store: {json.dumps(counts)}")
    except MaillageError as exc:
        raise _fail(exc) from exc
    finally:
        store.close()


@app.command()
def info() -> None:
    """Which store is configured and what it holds."""
    settings = Settings()
    try:
        store = open_store(settings)
    except MaillageError as exc:
        raise _fail(exc) from exc
    try:
        typer.echo(json.dumps({"store": store.backend, "counts": store.counts()}, indent=2))
    finally:
        store.close()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
