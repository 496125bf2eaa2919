"""The kit's test service on real PostgreSQL: a template database with its tables (and an org
copy), a fast-tier database rolled back after each test, and fresh committed ones for what needs
real commits. A plugin of the root conftest, as the end-to-end tests use it too."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from cli.devdb import drop_database, recreate_database
from kit.db import Database, async_url
from kit.models import KitModel
from kit.orgcopy import ORG_METADATA
from kit.settings import Environment, ServiceSettings
from tests.kit.toy import Member, ToyModel, create_toy_app
from tests.support import AUTH, RUN_ID, rolled_back


async def _create_schema(url: str) -> None:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(KitModel.metadata.create_all)
        await connection.run_sync(ToyModel.metadata.create_all)
        await connection.run_sync(ORG_METADATA.create_all)
    await engine.dispose()


@pytest.fixture(scope="session")
async def toy_template(pg_server: str) -> AsyncIterator[str]:
    name = f"inspire_tpl_toy_{RUN_ID}"
    await _create_schema(await recreate_database(pg_server, name))
    yield name
    await drop_database(pg_server, name)


@pytest.fixture(scope="session")
async def toy_shared(pg_server: str, toy_template: str) -> AsyncIterator[Database]:
    name = f"inspire_fast_toy_{RUN_ID}"
    database = Database(await recreate_database(pg_server, name, template=toy_template))
    yield database
    await database.dispose()
    await drop_database(pg_server, name)


@pytest.fixture
async def toy_db(toy_shared: Database) -> AsyncIterator[Database]:
    async with rolled_back(toy_shared) as database:
        yield database


@pytest.fixture
async def fresh_toy(
    pg_server: str, toy_template: str
) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    """Databases with committed data, for what needs real commits."""
    made: list[tuple[str, Database]] = []

    async def make() -> Database:
        name = f"inspire_e2e_toy_{uuid.uuid4().hex[:12]}"
        database = Database(await recreate_database(pg_server, name, template=toy_template))
        made.append((name, database))
        return database

    yield make
    for name, database in made:
        await database.dispose()
        await drop_database(pg_server, name)


def toy_settings(url: str) -> ServiceSettings:
    return ServiceSettings(database_url=url, environment=Environment.TEST, auth=AUTH)


def toy_app(database: Database) -> FastAPI:
    """The toy service's app on `database`, with the test keys."""
    return create_toy_app(toy_settings(database.url.render_as_string(False)), database)


async def add_member(database: Database, email: str, **fields: object) -> Member:
    async with database.sessionmaker() as session:
        member = Member(email=email, **fields)  # type: ignore[arg-type]  # test overrides
        session.add(member)
        await session.commit()
        return member
