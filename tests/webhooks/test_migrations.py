"""The migrations build exactly the schema the models describe (the event log, subscriptions,
messages and attempts, the org copy, the kit's tables), and come down again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import inspect

from kit.db import Database
from kit.migrations import migrate
from services.webhooks.app import SPEC
from tests.migrations import downgrade, schema_differences

TABLES = {"event", "subscription", "message", "attempt"}


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    assert await schema_differences(fast_databases["webhooks"], SPEC) == []


async def tables(database: Database) -> set[str]:
    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    return set(names)


@pytest.mark.e2e
async def test_the_tables_come_and_go_with_their_revision(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("webhooks")
    database = Database(url)
    migrated = await tables(database)

    await downgrade(SPEC, url, "base")
    without = await tables(database)
    await migrate(SPEC, url)
    again = await tables(database)
    await database.dispose()

    assert TABLES <= migrated
    assert TABLES & without == set()
    assert again == migrated
