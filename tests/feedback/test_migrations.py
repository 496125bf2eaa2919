"""The migrations build exactly the schema the models describe: the feedback table, the org
copy and the kit's tables."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from cli.devdb import drop_database, recreate_database
from kit.db import Database
from kit.migrations import migrate, version_table
from services.feedback.app import SPEC


def differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "version_table": version_table(SPEC)}
    )
    metadata: Any = SPEC.target_metadata  # alembic takes a list, though typed for one
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    async with fast_databases["feedback"].engine.connect() as connection:
        found = await connection.run_sync(differences)

    assert found == []


@pytest.fixture
async def empty_database(pg_server: str) -> AsyncIterator[str]:
    """A new database with nothing in it: not cloned from the migrated template."""
    name = f"inspire_e2e_feedback_upgrade_{uuid.uuid4().hex[:12]}"
    yield await recreate_database(pg_server, name)
    await drop_database(pg_server, name)


@pytest.mark.e2e
async def test_upgrading_scrubs_the_words_from_events_already_stored(empty_database: str) -> None:
    # A database from before events lost their words, holding such an event.
    await migrate(SPEC, empty_database, revision="0001")
    words = {"topic": "Incident review", "body": "Your write-up made the fix easy to follow."}
    payload = {"id": str(uuid.uuid4()), "kind": "praise", "visibility": "manager", **words}
    connection = await asyncpg.connect(empty_database)
    try:
        await connection.execute(
            "INSERT INTO outbox_event (id, type, payload, occurred_at, position)"
            " VALUES ($1, 'feedback.given', $2::jsonb, now(), 1)",
            uuid.uuid4(),
            json.dumps(payload),
        )

        await migrate(SPEC, empty_database)

        stored = json.loads(await connection.fetchval("SELECT payload FROM outbox_event"))
    finally:
        await connection.close()
    assert stored == {key: payload[key] for key in ("id", "kind", "visibility")}
