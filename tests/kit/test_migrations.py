"""`inspire migrate` as deployments run it: from several processes at once on an empty
database, again on one already at head, and on databases migrated before the kit's tables had
branches of their own."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from kit.api import ServiceSpec
from kit.db import Database, plain_url
from kit.migrations import _MIGRATION_LOCK_KEY, alembic_config, migrate, version_table
from kit.models import KitModel
from tests.migrations import downgrade
from tests.support import ROOT, clean_env, service_specs

pytestmark = pytest.mark.e2e

PEOPLE = service_specs()["people"]
GOALS = service_specs()["goals"]


async def start_migrations(url: str, count: int) -> list[asyncio.subprocess.Process]:
    env = clean_env(INSPIRE_PEOPLE_DATABASE_URL=url)
    return [
        await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "cli", "migrate", "people"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(count)
    ]


async def finish(processes: list[asyncio.subprocess.Process]) -> list[tuple[int | None, str]]:
    outputs = await asyncio.gather(*(process.communicate() for process in processes))
    return [
        (process.returncode, output.decode())
        for process, (output, _) in zip(processes, outputs, strict=True)
    ]


async def waiting_for_the_lock(connection: asyncpg.Connection, count: int) -> None:
    # Generous: starting a Python process takes seconds on a busy two-core machine.
    for _ in range(1200):
        waiting = await connection.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        if waiting == count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{count} migrations never waited for the lock together")


async def schema(url: str) -> dict[str, int]:
    """Each table of the public schema with its oid, which changes if it is created again."""
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT relname, oid FROM pg_class"
            " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"
        )
        return {row["relname"]: row["oid"] for row in rows}
    finally:
        await connection.close()


async def version(url: str, spec: ServiceSpec = PEOPLE) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        table = version_table(spec)  # our own name, not input
        rows = await connection.fetch(f'SELECT version_num FROM "{table}"')  # noqa: S608
        return sorted(row["version_num"] for row in rows)
    finally:
        await connection.close()


async def pending(url: str, spec: ServiceSpec = PEOPLE) -> list[str]:
    """The revisions an upgrade to every head, the kit's included, would still run."""
    script = ScriptDirectory.from_config(alembic_config(spec))
    current = tuple(await version(url, spec))
    return [revision.revision for revision in script.iterate_revisions("heads", current)]


async def test_concurrent_migrations_end_at_head(empty_database: str) -> None:
    # Hold the lock until every process waits for it: they then truly run at the same moment.
    gate = await asyncpg.connect(empty_database)
    try:
        await gate.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
        processes = await start_migrations(empty_database, count=3)
        await waiting_for_the_lock(gate, count=3)
    finally:
        await gate.close()

    results = await finish(processes)

    assert all(code == 0 for code, _ in results), results
    assert await version(empty_database) != []
    assert await pending(empty_database) == []
    tables = set(await schema(empty_database))
    assert PEOPLE.metadata is not None
    assert set(PEOPLE.metadata.tables) <= tables
    assert set(KitModel.metadata.tables) <= tables


async def test_migrating_again_changes_nothing(empty_database: str) -> None:
    [(first, _)] = await finish(await start_migrations(empty_database, count=1))
    before = await schema(empty_database)

    [(again, output)] = await finish(await start_migrations(empty_database, count=1))

    assert (first, again) == (0, 0), output
    assert "people: database at the latest revision" in output
    assert await schema(empty_database) == before
    assert await pending(empty_database) == []


async def test_every_service_keeps_parked_events_and_the_org_copy_its_held_entities(
    fast_databases: dict[str, Database],
) -> None:
    for name, spec in service_specs().items():
        tables = set(await schema(plain_url(fast_databases[name].url)))

        assert "parked_event" in tables, name
        keeps_org_copy = any("org_person" in metadata.tables for metadata in spec.extra_metadata)
        assert ("org_held" in tables) == keeps_org_copy, name


def test_each_history_has_one_head_of_its_own_beside_the_kit_branches() -> None:
    for name, spec in service_specs().items():
        script = ScriptDirectory.from_config(alembic_config(spec))
        keeps_org_copy = any("org_person" in metadata.tables for metadata in spec.extra_metadata)
        branches = ["kit", "orgcopy"] if keeps_org_copy else ["kit"]
        kit = {script.get_revision(f"{branch}@head").revision for branch in branches}
        heads = set(script.get_heads())

        assert kit <= heads, name
        assert len(heads - kit) == 1, (name, heads)


def differences(spec: ServiceSpec) -> Callable[[Connection], list[Any]]:
    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "version_table": version_table(spec)}
        )
        metadata: Any = spec.target_metadata  # alembic takes a list, though typed for one
        return list(compare_metadata(context, metadata))

    return compare


async def indexes_of_org_person(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'org_person'"
        )
        return {row["indexname"] for row in rows}
    finally:
        await connection.close()


async def test_a_database_at_the_heads_of_before_the_kit_branches_upgrades(
    empty_database: str,
) -> None:
    # given a goals database as its revisions left it before the kit's tables had branches of
    # their own: the same schema, at two heads of the goals service's own history, without what
    # the org copy's branch added since (the person's locale), the kit's since (the events'
    # trace context) and the goals service's own since (help requests, ideas…)
    await migrate(GOALS, empty_database)
    await downgrade(GOALS, empty_database, "0004_one_head")
    await downgrade(GOALS, empty_database, "orgcopy_0003")
    await downgrade(GOALS, empty_database, "kit_0002")
    before = await schema(empty_database)
    connection = await asyncpg.connect(empty_database)
    try:
        table = version_table(GOALS)  # our own name, not input
        await connection.execute(f'DELETE FROM "{table}"')  # noqa: S608
        await connection.execute(
            f'INSERT INTO "{table}" VALUES ($1), ($2)',  # noqa: S608
            "0002_parked_events",
            "0003_alignment_acceptance",
        )
    finally:
        await connection.close()

    await migrate(GOALS, empty_database, revision="0004_one_head")
    at_one_head = await schema(empty_database)
    await migrate(GOALS, empty_database)

    assert at_one_head == before
    assert await pending(empty_database, GOALS) == []


async def test_a_database_from_before_the_kit_branches_gets_the_kit_tables_it_lacks(
    empty_database: str,
) -> None:
    # given a goals database at its first revision, as that revision alone made it before the
    # kit's tables had branches of their own: the kit's and the org copy's first tables, no
    # parked events, no held entities, and the email key that folded look-alikes
    await migrate(GOALS, empty_database, revision="0001")
    assert await version(empty_database, GOALS) == ["0001"]
    assert not {"parked_event", "org_held"} & (await schema(empty_database)).keys()
    assert "org_person_email_key" in await indexes_of_org_person(empty_database)

    await migrate(GOALS, empty_database)

    assert {"parked_event", "org_held"} <= (await schema(empty_database)).keys()
    assert "org_person_email_ascii_key" in await indexes_of_org_person(empty_database)
    assert "org_person_email_key" not in await indexes_of_org_person(empty_database)
    assert await pending(empty_database, GOALS) == []
    database = Database(empty_database, pool_size=1)
    try:
        async with database.engine.connect() as connection:
            assert await connection.run_sync(differences(GOALS)) == []
    finally:
        await database.dispose()


async def test_people_copied_before_locales_were_kept_read_english(empty_database: str) -> None:
    # given an org copy from before it kept locales, with a person in it
    await migrate(GOALS, empty_database)
    await downgrade(GOALS, empty_database, "orgcopy_0003")
    connection = await asyncpg.connect(empty_database)
    try:
        await connection.execute(
            "INSERT INTO org_person (id, email, name, active, is_hr_admin, time_zone, updated_at)"
            " VALUES (gen_random_uuid(), 'old@example.com', 'Old', true, false, 'UTC', now())"
        )

        await migrate(GOALS, empty_database)

        locale = await connection.fetchval(
            "SELECT locale FROM org_person WHERE email = 'old@example.com'"
        )
    finally:
        await connection.close()
    assert locale == "en"
    assert await pending(empty_database, GOALS) == []
