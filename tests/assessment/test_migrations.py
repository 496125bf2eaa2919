"""The migrations build exactly the schema the models describe (instruments and questions,
the org copy, the kit's tables) and seed the built-in instruments."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import select

from kit.db import Database, async_url
from kit.migrations import alembic_config, migrate, version_table
from services.assessment.app import SPEC
from services.assessment.models import Instrument
from tests.assessment.factories import create_instrument


def differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "version_table": version_table(SPEC)}
    )
    metadata: Any = SPEC.target_metadata  # alembic takes a list, though typed for one
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    async with fast_databases["assessment"].engine.connect() as connection:
        found = await connection.run_sync(differences)

    assert found == []


async def downgrade(url: str, revision: str) -> None:
    def run(connection: Connection) -> None:
        command.downgrade(alembic_config(SPEC, connection), revision)

    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
    finally:
        await engine.dispose()


async def instrument_ids(database: Database) -> dict[str, uuid.UUID]:
    async with database.sessionmaker() as session:
        rows = await session.exec(select(Instrument.key, Instrument.id))
        return dict(rows.all())


@pytest.mark.e2e
async def test_the_built_in_instruments_come_and_go_with_their_revision(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("assessment")
    database = Database(url)
    async with database.sessionmaker() as session:
        await create_instrument(session, key="licensed")
        await session.commit()
    seeded = await instrument_ids(database)

    await downgrade(url, "0001")
    without = await instrument_ids(database)
    await migrate(SPEC, url)
    again = await instrument_ids(database)
    await database.dispose()

    assert sorted(seeded) == ["licensed", "maturity", "needs", "psych_safety", "trust"]
    assert list(without) == ["licensed"]
    assert again == seeded
