"""The migrations build exactly the schema the models describe: the goals tables, the org
copy and the kit's."""

from __future__ import annotations

from kit.db import Database
from services.goals.app import SPEC
from tests.migrations import schema_differences


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    assert await schema_differences(fast_databases["goals"], SPEC) == []


def test_the_schema_holds_the_org_copy_and_the_kit_tables() -> None:
    tables = {table for metadata in SPEC.target_metadata for table in metadata.tables}

    assert {"cycle", "objective", "key_result", "check_in"} <= tables
    assert {"org_person", "org_team", "org_membership"} <= tables
    assert {"outbox_event", "idempotency_record", "consumer_offset", "consumed_event"} <= tables
