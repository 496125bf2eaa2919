"""The migrations build exactly the schema the models describe: the feedback table, the org
copy and the kit's tables."""

from __future__ import annotations

import json
import uuid

import asyncpg
import pytest

from kit.db import Database
from kit.migrations import migrate
from services.feedback.app import SPEC
from tests.migrations import schema_differences


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    assert await schema_differences(fast_databases["feedback"], SPEC) == []


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


@pytest.mark.e2e
async def test_upgrading_fixes_the_audience_of_existing_items(empty_database: str) -> None:
    # A database from before audiences were recorded: skip ─ manager ─ recipient, and giver.
    await migrate(SPEC, empty_database, revision="0004")
    skip, manager, recipient, giver = (uuid.uuid4() for _ in range(4))
    connection = await asyncpg.connect(empty_database)
    try:
        for person, boss in ((skip, None), (manager, skip), (recipient, manager), (giver, None)):
            await connection.execute(
                "INSERT INTO org_person (id, email, name, manager_id, active, is_hr_admin,"
                " time_zone, updated_at) VALUES ($1, $2, 'Someone', $3, true, false, 'UTC', now())",
                person,
                f"{person}@example.com",
                boss,
            )
        for item, to in ((uuid.uuid4(), recipient), (uuid.uuid4(), skip)):
            await connection.execute(
                "INSERT INTO feedback (id, giver_id, recipient_id, body, kind, visibility,"
                " created_at, updated_at, version)"
                " VALUES ($1, $2, $3, 'Thanks', 'praise', 'manager', now(), now(), 1)",
                item,
                giver,
                to,
            )

        await migrate(SPEC, empty_database)

        audiences = {
            row["recipient_id"]: row["audience"]
            for row in await connection.fetch("SELECT recipient_id, audience FROM feedback")
        }
    finally:
        await connection.close()
    assert audiences == {recipient: [manager, skip], skip: []}
