"""The migrations build exactly the schema the models describe: the goals tables, the org
copy and the kit's."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from kit.db import Database
from kit.migrations import version_table
from services.goals.app import SPEC


def differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "version_table": version_table(SPEC)}
    )
    metadata: Any = SPEC.target_metadata  # alembic takes a list, though typed for one
    return list(compare_metadata(context, metadata))


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    async with fast_databases["goals"].engine.connect() as connection:
        found = await connection.run_sync(differences)

    assert found == []


def test_the_schema_holds_the_org_copy_and_the_kit_tables() -> None:
    tables = {table for metadata in SPEC.target_metadata for table in metadata.tables}

    assert {"cycle", "objective", "key_result", "check_in"} <= tables
    assert {"org_person", "org_team", "org_membership"} <= tables
    assert {"outbox_event", "idempotency_record", "consumer_offset", "consumed_event"} <= tables
