"""`inspire migrate` as deployments run it: from several processes at once on an empty
database, and again on one already at head."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import asyncpg
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from kit.db import Database, plain_url
from kit.migrations import _MIGRATION_LOCK_KEY, version_table
from kit.models import KitModel
from tests.conftest import ROOT, clean_env, service_specs

pytestmark = pytest.mark.e2e

PEOPLE = service_specs()["people"]


async def start_migrations(url: str, count: int) -> list[asyncio.subprocess.Process]:
    env = clean_env(INSPIRE_PEOPLE_DATABASE_URL=url)
    return [
        await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "kit.cli", "migrate", "people"],
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


def head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(PEOPLE.migrations))
    return ScriptDirectory.from_config(config).get_current_head()


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


async def version(url: str) -> list[str]:
    connection = await asyncpg.connect(url)
    try:
        table = version_table(PEOPLE)  # our own name, not input
        rows = await connection.fetch(f'SELECT version_num FROM "{table}"')  # noqa: S608
        return [row["version_num"] for row in rows]
    finally:
        await connection.close()


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
    assert await version(empty_database) == [head_revision()]
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
    assert await version(empty_database) == [head_revision()]


async def test_every_service_keeps_parked_events_and_the_org_copy_its_held_entities(
    fast_databases: dict[str, Database],
) -> None:
    for name, spec in service_specs().items():
        tables = set(await schema(plain_url(fast_databases[name].url)))

        assert "parked_event" in tables, name
        keeps_org_copy = any("org_person" in metadata.tables for metadata in spec.extra_metadata)
        assert ("org_held" in tables) == keeps_org_copy, name
