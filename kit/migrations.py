"""Alembic per service, each with its own version table; upgrades serialised by an advisory
lock so that any number of pods may run `inspire migrate` at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, func, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from kit.db import async_url

if TYPE_CHECKING:
    from kit.api import ServiceSpec

_MIGRATION_LOCK_KEY = 0x1A5E_0001


def version_table(spec: ServiceSpec) -> str:
    return f"alembic_version_{spec.name}"


def _config(spec: ServiceSpec, connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(spec.migrations))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["spec"] = spec
    return config


async def migrate(spec: ServiceSpec, url: str, revision: str = "heads") -> None:
    """Upgrade to every head: sub-domains of a service may branch from a shared revision."""
    if spec.migrations is None:
        raise ValueError(f"{spec.name} has no database to migrate")
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(select(func.pg_advisory_lock(_MIGRATION_LOCK_KEY)))
            await connection.commit()
            try:
                await connection.run_sync(
                    lambda sync: command.upgrade(_config(spec, sync), revision)
                )
                await connection.commit()
            finally:
                await connection.execute(select(func.pg_advisory_unlock(_MIGRATION_LOCK_KEY)))
                await connection.commit()
    finally:
        await engine.dispose()


async def autogenerate(spec: ServiceSpec, url: str, message: str) -> None:
    """Write a new revision from the difference between the models and a migrated database."""
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(
                lambda sync: command.revision(
                    _config(spec, sync), message=message, autogenerate=True
                )
            )
    finally:
        await engine.dispose()


def run_env() -> None:
    """The body of every service's `migrations/env.py`."""
    config = context.config
    spec: Any = config.attributes["spec"]
    connection: Connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=spec.target_metadata,
        version_table=version_table(spec),
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()
