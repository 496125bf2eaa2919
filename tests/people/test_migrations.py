"""The migrations build exactly the schema the models describe, the kit's tables included."""

from __future__ import annotations

import uuid

import asyncpg
import pytest

from kit.db import Database
from kit.migrations import migrate
from services.people.app import SPEC
from tests.migrations import schema_differences
from tests.support import Tokens, asgi_client, service_app


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    assert await schema_differences(fast_databases["people"], SPEC) == []


_PERSON = (
    "INSERT INTO person (id, email, name, external_id, source, access_role, status, locale,"
    " time_zone, created_at, updated_at, version)"
    " VALUES ($1, $2, $3, $4, $5, $6, 'active', 'en', 'UTC', now(), now(), 1)"
)
_LINE = (
    "INSERT INTO reporting_line (id, person_id, manager_id, effective_at, changed_by, created_at)"
    " VALUES ($1, $2, $3, now(), $4, now() + $5 * interval '1 second')"
)


@pytest.mark.e2e
async def test_upgrading_keeps_old_history_readable_without_token_subjects(
    empty_database: str, tokens: Tokens
) -> None:
    # A directory from before the history named its authors, with a change by an HR admin
    # (recorded as her email), one by her under an identity provider's subject that names
    # nobody, and one by an integration.
    await migrate(SPEC, empty_database, revision="0002")
    hana, boss, person = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(empty_database)
    try:
        await connection.execute(_PERSON, hana, "hana@example.com", "Hana", None, None, "hr_admin")
        await connection.execute(
            _PERSON, boss, "boss@example.com", "Boss", "b-1", "hris", "employee"
        )
        await connection.execute(_PERSON, person, "ada@example.com", "Ada", None, None, "employee")
        for second, changed_by in enumerate(["Hana@Example.com", "idp|8f3a", "hris"]):
            await connection.execute(_LINE, uuid.uuid4(), person, boss, changed_by, second)
    finally:
        await connection.close()

    await migrate(SPEC, empty_database)

    database = Database(empty_database, pool_size=1)
    try:
        async with asgi_client(service_app("people", database), "people") as client:
            history = await client.get(
                f"/v1/people/{person}/reporting-lines", headers=tokens.person("ada@example.com")
            )
    finally:
        await database.dispose()
    assert history.status_code == 200
    assert [line["changed_by"] for line in history.json()["items"]] == [
        {"kind": "person", "person_id": str(hana), "name": "Hana"},
        {"kind": "unknown", "person_id": None, "name": None},
        {"kind": "unknown", "person_id": None, "name": None},
    ]
    assert "idp|" not in history.text
