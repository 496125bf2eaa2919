"""Alembic per service, each with its own version table; upgrades serialised by an advisory
lock so that any number of pods may run `inspire migrate` at once.

The kit's tables have branches of their own, here beside this module, that every service's
history includes: `kit` (outbox, idempotency keys, consumers) in every service's database,
`orgcopy` in those of the services that keep an org copy. A change to a kit table is one
revision in its branch, whatever the number of services."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, func, select
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from kit.db import async_url
from kit.models import KitModel
from kit.orgcopy import ORG_METADATA

if TYPE_CHECKING:
    from kit.api import ServiceSpec

_MIGRATION_LOCK_KEY = 0x1A5E_0001
_HERE = Path(__file__).resolve().parent
# Each of the kit's metadata and the branch that creates its tables.
_KIT_BRANCHES: tuple[tuple[MetaData, Path], ...] = (
    (KitModel.metadata, _HERE / "kit"),
    (ORG_METADATA, _HERE / "orgcopy"),
)


def version_table(spec: ServiceSpec) -> str:
    return f"alembic_version_{spec.name}"


def version_locations(spec: ServiceSpec) -> list[Path]:
    """The service's own revisions, then the branches of the kit's tables it keeps."""
    if spec.migrations is None:
        raise ValueError(f"{spec.name} has no database to migrate")
    kept = spec.target_metadata
    kit = [path for metadata, path in _KIT_BRANCHES if any(m is metadata for m in kept)]
    return [spec.migrations / "versions", *kit]


def alembic_config(spec: ServiceSpec, connection: Connection | None = None) -> Config:
    """The configuration every Alembic command on `spec`'s database takes; its environment
    (`migrations/env.py`) runs on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(spec.migrations))
    config.set_main_option("path_separator", "os")
    locations = os.pathsep.join(str(path) for path in version_locations(spec))
    config.set_main_option("version_locations", locations)
    config.attributes["connection"] = connection
    config.attributes["spec"] = spec
    return config


async def migrate(spec: ServiceSpec, url: str, revision: str = "heads") -> None:
    """Upgrade to every head: the service's, and those of the kit's branches."""
    if spec.migrations is None:
        raise ValueError(f"{spec.name} has no database to migrate")
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(select(func.pg_advisory_lock(_MIGRATION_LOCK_KEY)))
            await connection.commit()
            try:
                await connection.run_sync(
                    lambda sync: command.upgrade(alembic_config(spec, sync), revision)
                )
                await connection.commit()
            finally:
                await connection.execute(select(func.pg_advisory_unlock(_MIGRATION_LOCK_KEY)))
                await connection.commit()
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
