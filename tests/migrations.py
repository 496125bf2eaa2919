"""A service's migrations seen from its tests: how far the migrated schema is from the models,
and a step down to an older revision."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from kit.api import ServiceSpec
from kit.db import Database, async_url
from kit.migrations import alembic_config, version_table


async def schema_differences(database: Database, spec: ServiceSpec) -> list[Any]:
    """What alembic would change to make `database` match `spec`'s models (its own, the org
    copy's where it keeps one, and the kit's)."""

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "version_table": version_table(spec)}
        )
        metadata: Any = spec.target_metadata  # alembic takes a list, though typed for one
        return list(compare_metadata(context, metadata))

    async with database.engine.connect() as connection:
        return await connection.run_sync(compare)


async def downgrade(spec: ServiceSpec, url: str, revision: str) -> None:
    def run(connection: Connection) -> None:
        command.downgrade(alembic_config(spec, connection), revision)

    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
    finally:
        await engine.dispose()
