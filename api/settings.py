"""Settings: one pydantic-settings class, environment prefix ``MAILLAGE_``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.store import GraphStore


class Settings(BaseSettings):
    """Where the data lives and how the server listens.

    ``MAILLAGE_STORE=sqlite|neo4j``, ``MAILLAGE_DB`` (the SQLite file), ``NEO4J_URI``,
    ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``MAILLAGE_NEO4J_DATABASE``, ``MAILLAGE_HOST``,
    ``MAILLAGE_PORT``, ``MAILLAGE_WORKERS``, ``MAILLAGE_TRUSTED_PROXIES``,
    ``MAILLAGE_RETENTION_MONTHS``, ``MAILLAGE_CONFIRM_MONTHS``.
    """

    model_config = SettingsConfigDict(env_prefix="MAILLAGE_", populate_by_name=True)

    store: Literal["sqlite", "neo4j"] = "sqlite"
    db: Path = Path("data/maillage.db")
    neo4j_uri: str = Field(
        default="bolt://127.0.0.1:7687",
        validation_alias=AliasChoices("NEO4J_URI", "MAILLAGE_NEO4J_URI", "neo4j_uri"),
    )
    neo4j_user: str | None = Field(
        default=None,
        validation_alias=AliasChoices("NEO4J_USER", "MAILLAGE_NEO4J_USER", "neo4j_user"),
    )
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices(
            "NEO4J_PASSWORD", "MAILLAGE_NEO4J_PASSWORD", "neo4j_password"
        ),
    )
    neo4j_database: str = "neo4j"
    max_body: int = Field(
        default=256 * 1024, ge=1024, description="Largest request body (bytes); larger: 413"
    )
    max_import_body: int = Field(
        default=50 * 1024 * 1024, ge=1024, description="Largest body of an import (bytes)"
    )
    retention_months: int = Field(
        default=24, ge=1, description="Key residents ended longer ago are erased by 'purge'"
    )
    confirm_months: int = Field(
        default=6, ge=1, le=60, description="Actors not confirmed for longer are to check"
    )
    tiles: str = Field(
        default="",
        max_length=300,
        pattern=r"^(https://[^\s'\"]+\{z\}[^\s'\"]*)?$",
        description=(
            "A tile server for the map, as a URL template (https://tiles.example/{z}/{x}/{y}.png);"
            " without one the sectors are the base map and nothing leaves the app"
        ),
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    trusted_proxies: str = Field(
        default="",
        max_length=2000,
        description=(
            "Addresses of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are "
            "believed (comma-separated; empty: none). Behind one, each client is throttled on "
            "its own address and cookies are Secure when the original request was https"
        ),
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description=(
            "Server processes. On Neo4j, two or more use more than one core (each process "
            "runs its Python on one); on SQLite keep one: its writers take turns in-process"
        ),
    )


def open_store(settings: Settings) -> GraphStore:
    """The store the settings name, connected and with its schema in place."""
    if settings.store == "neo4j":
        from graph.neo4j_store import Neo4jGraphStore

        return Neo4jGraphStore(
            settings.neo4j_uri,
            user=settings.neo4j_user,
            password=(
                settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
            ),
            database=settings.neo4j_database,
        )
    from graph.sqlite_store import SqliteGraphStore

    return SqliteGraphStore(settings.db)
